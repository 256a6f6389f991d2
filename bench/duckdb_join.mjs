// The dense bench's baseline (bench/dense_bench.sh, issue 15): DuckDB joins Sysmon network
// connection events (event 3) to Zeek conn records on (source address, source port, destination
// address, destination port) and sums each process's bytes (orig + resp) by ProcessGuid. Less than
// outflow does (no process lineage, no sessions, no clock offsets, no time window on the join).
// Usage: node bench/duckdb_join.mjs SYSMON CONN [THREADS]
//   SYSMON: a Sysmon JSON-lines file, or a folder of *.jsonl files (flat field names: EventID,
//   ProcessGuid, SourceIp, SourcePort, DestinationIp, DestinationPort); CONN: a Zeek conn.log (TSV
//   or JSON lines).
// Prints "joined=J processes=P bytes=B threads=T query_s=S" (joined: event-connection matches;
// query_s: the query alone, without node's start and DuckDB's set-up and tear-down).
import { statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { quote, zeekConn } from './duckdb_zeek.mjs';

const [sysmon, conn, threads = '2'] = process.argv.slice(2);
if (!sysmon || !conn) {
  console.error('usage: node duckdb_join.mjs SYSMON CONN [THREADS]');
  process.exit(2);
}
const src = statSync(sysmon).isDirectory() ? `${sysmon}/*.jsonl` : sysmon;
const db = await DuckDBInstance.create(':memory:', { threads });
const con = await db.connect();
const sql = `
  WITH net AS (
    SELECT ProcessGuid AS guid, SourceIp AS sip, TRY_CAST(SourcePort AS UBIGINT) AS sport,
           DestinationIp AS dip, TRY_CAST(DestinationPort AS UBIGINT) AS dport
    FROM read_json(${quote(src)}, format = 'newline_delimited',
                   columns = {EventID: 'INTEGER', ProcessGuid: 'VARCHAR', SourceIp: 'VARCHAR',
                              SourcePort: 'VARCHAR', DestinationIp: 'VARCHAR', DestinationPort: 'VARCHAR'})
    WHERE EventID = 3)
  SELECT count(*) AS processes, sum(n) AS joined, sum(b) AS bytes FROM (
    SELECT guid, count(*) AS n, sum(coalesce(c.orig_bytes, 0) + coalesce(c.resp_bytes, 0)) AS b
    FROM net JOIN ${zeekConn(conn)} AS c
      ON c.orig_h = net.sip AND c.orig_p = net.sport AND c.resp_h = net.dip AND c.resp_p = net.dport
    GROUP BY guid)`;
const t0 = performance.now();
const reader = await con.runAndReadAll(sql);
const querySeconds = (performance.now() - t0) / 1000;
const [processes, joined, bytes] = reader.getRows()[0];
console.log(`joined=${joined} processes=${processes} bytes=${bytes} threads=${threads} query_s=${querySeconds.toFixed(3)}`);
