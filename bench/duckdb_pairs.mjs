// The flow-only bench's baseline (bench/run.sh): DuckDB groups a Zeek TSV conn.log by pair
// (id.orig_h, id.resp_h): connections, sum of orig_bytes and resp_bytes, first and last ts.
// Usage: node bench/duckdb_pairs.mjs CONN.log [THREADS]
// Prints "rows=N pairs=P bytes=B threads=T query_s=S" (rows: connections read; bytes: orig + resp
// summed; query_s: the query alone, without node's start and DuckDB's set-up and tear-down).
import { DuckDBInstance } from '@duckdb/node-api';

const [file, threads = '2'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node duckdb_pairs.mjs CONN.log [THREADS]');
  process.exit(2);
}
const db = await DuckDBInstance.create(':memory:', { threads });
const con = await db.connect();
// Zeek TSV: '#' header lines (#separator, #fields, #types, #close...) are comments; '-' is unset.
// The columns are named from the #fields line, which the comment option skips, so they are given.
const cols = ['ts', 'uid', 'orig_h', 'orig_p', 'resp_h', 'resp_p', 'proto', 'service', 'duration',
              'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes',
              'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'tunnel_parents'];
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const sql = `
  SELECT count(*) AS pairs, sum(n) AS rows, sum(ob) + sum(rb) AS bytes FROM (
    SELECT orig_h, resp_h, count(*) AS n, sum(orig_bytes) AS ob, sum(resp_bytes) AS rb,
           min(ts) AS first_ts, max(ts) AS last_ts
    FROM read_csv(${quote(file)}, delim = '\t', comment = '#', nullstr = '-', header = false,
                  auto_detect = false, quote = '', escape = '',
                  columns = {${cols.map((c) => `${quote(c)}: ${
                    ['ts', 'duration'].includes(c) ? "'DOUBLE'" :
                    ['orig_bytes', 'resp_bytes', 'orig_pkts', 'resp_pkts', 'orig_ip_bytes', 'resp_ip_bytes',
                     'missed_bytes', 'orig_p', 'resp_p'].includes(c) ? "'UBIGINT'" : "'VARCHAR'"}`).join(', ')}})
    GROUP BY orig_h, resp_h)`;
const t0 = performance.now();
const reader = await con.runAndReadAll(sql);
const querySeconds = (performance.now() - t0) / 1000;
const [pairs, rows, bytes] = reader.getRows()[0];
console.log(`rows=${rows} pairs=${pairs} bytes=${bytes} threads=${threads} query_s=${querySeconds.toFixed(3)}`);
