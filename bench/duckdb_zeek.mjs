// The bench's DuckDB baselines read Zeek's conn.log through this: a table expression with the
// columns ts, orig_h, orig_p, resp_h, resp_p, orig_bytes, resp_bytes (and the rest of conn.log's for
// TSV), from a Zeek TSV conn.log ('#' header lines, '-' unset) or Zeek JSON lines (id.orig_h...).
import { openSync, readSync, closeSync } from 'node:fs';

export const quote = (s) => "'" + s.replaceAll("'", "''") + "'";

const tsvCols = ['ts', 'uid', 'orig_h', 'orig_p', 'resp_h', 'resp_p', 'proto', 'service', 'duration',
                 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes',
                 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'tunnel_parents'];
const numeric = ['orig_bytes', 'resp_bytes', 'orig_pkts', 'resp_pkts', 'orig_ip_bytes', 'resp_ip_bytes',
                 'missed_bytes', 'orig_p', 'resp_p'];

function firstByte(file) {
  const fd = openSync(file, 'r');
  const b = Buffer.alloc(1);
  const n = readSync(fd, b, 0, 1, 0);
  closeSync(fd);
  return n ? String.fromCharCode(b[0]) : '';
}

export function zeekConn(file) {
  if (firstByte(file) === '{') {
    return `(SELECT ts, "id.orig_h" AS orig_h, "id.orig_p" AS orig_p, "id.resp_h" AS resp_h, "id.resp_p" AS resp_p,
                    orig_bytes, resp_bytes
             FROM read_json(${quote(file)}, format = 'newline_delimited',
                            columns = {'ts': 'DOUBLE', 'id.orig_h': 'VARCHAR', 'id.orig_p': 'UBIGINT',
                                       'id.resp_h': 'VARCHAR', 'id.resp_p': 'UBIGINT',
                                       'orig_bytes': 'UBIGINT', 'resp_bytes': 'UBIGINT'}))`;
  }
  // The columns are named from the #fields line, which the comment option skips, so they are given.
  return `read_csv(${quote(file)}, delim = '\t', comment = '#', nullstr = '-', header = false,
                   auto_detect = false, quote = '', escape = '',
                   columns = {${tsvCols.map((c) => `${quote(c)}: ${
                     ['ts', 'duration'].includes(c) ? "'DOUBLE'" : numeric.includes(c) ? "'UBIGINT'" : "'VARCHAR'"}`).join(', ')}})`;
}
