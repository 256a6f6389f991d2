// The flow-only bench's baseline (bench/flow_bench.sh): DuckDB groups a Zeek conn.log by pair
// (id.orig_h, id.resp_h): connections, sum of orig_bytes and resp_bytes, first and last ts.
// Usage: node bench/duckdb_pairs.mjs CONN.log [THREADS]
// Prints "rows=N pairs=P bytes=B threads=T query_s=S" (rows: connections read; bytes: orig + resp
// summed; query_s: the query alone, without node's start and DuckDB's set-up and tear-down).
import { DuckDBInstance } from '@duckdb/node-api';
import { zeekConn } from './duckdb_zeek.mjs';

const [file, threads = '2'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node duckdb_pairs.mjs CONN.log [THREADS]');
  process.exit(2);
}
const db = await DuckDBInstance.create(':memory:', { threads });
const con = await db.connect();
const sql = `
  SELECT count(*) AS pairs, sum(n) AS rows, sum(ob) + sum(rb) AS bytes FROM (
    SELECT orig_h, resp_h, count(*) AS n, sum(orig_bytes) AS ob, sum(resp_bytes) AS rb,
           min(ts) AS first_ts, max(ts) AS last_ts
    FROM ${zeekConn(file)}
    GROUP BY orig_h, resp_h)`;
const t0 = performance.now();
const reader = await con.runAndReadAll(sql);
const querySeconds = (performance.now() - t0) / 1000;
const [pairs, rows, bytes] = reader.getRows()[0];
console.log(`rows=${rows} pairs=${pairs} bytes=${bytes} threads=${threads} query_s=${querySeconds.toFixed(3)}`);
