#!/usr/bin/env bash
# `make bench`, flow-only rows (issue 12): `outflow hunt` and `outflow sessions` on the Zeek conn.log
# of a simulated organisation with no endpoint telemetry, at BENCH_FLOW_DAYS days and twice that (peak
# RSS must stay flat), beside DuckDB grouping the same file by pair (count, sum of orig and resp bytes,
# first and last ts), in the same run. Then `outflow sessions` on the Squid access.log and the PAN-OS
# traffic log of the same organisation behind a proxy (`simulate --proxy`, issue 13): MB per CPU second
# (target >= 300 per core), lines/s, peak RSS. See bench/README.md.
#
# Usage: bench/flow_bench.sh BUILD_DIR
# Env:
#   BENCH_FLOW_DAYS   days of the smaller input (default 20: ~1.05 million connections with 50 hosts)
#   BENCH_HOSTS (50), BENCH_SEED (42), BENCH_RUNS (3): as for bench/run.sh
#   BENCH_PROXY_DAYS  days of the proxied organisation for the Squid and PAN-OS rows (default BENCH_FLOW_DAYS)
#   BENCH_DUCKDB      1 (default): also run DuckDB; 0: outflow rows only
#   BENCH_EVE         1 (default): also `outflow hunt` on the same organisation's Suricata eve.json
#                     (flow, dns, tls, http and stats events; BENCH_FLOW_DAYS only); 0: not
#   DUCKDB_VERSION    the @duckdb/node-api version npm installs into BUILD_DIR/bench-tools (pinned)
# DuckDB is not a Debian 12 package: it comes from npm (@duckdb/node-api, whose native library is in
# @duckdb/node-bindings-linux-x64), run by node; node and npm come from `scripts/bootstrap.sh --bench`
# when missing. Only `make bench` installs them, never `make test` or `make demo`.
set -euo pipefail

BUILD=${1:?usage: bench/flow_bench.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
DAYS=${BENCH_FLOW_DAYS:-20}
HOSTS=${BENCH_HOSTS:-50}
SEED=${BENCH_SEED:-42}
RUNS=${BENCH_RUNS:-3}
WITH_DUCKDB=${BENCH_DUCKDB:-1}
WITH_EVE=${BENCH_EVE:-1}
DUCKDB_VERSION=${DUCKDB_VERSION:-1.5.6-r.1}
OUTFLOW_BIN=${OUTFLOW_BIN:-$BUILD/bin/outflow}
DATA=$BUILD/bench-data
TOOLS=$BUILD/bench-tools
TIME=/usr/bin/time

die() { echo "flow bench: $*" >&2; exit 2; }
[ -x "$TIME" ] || die "$TIME not found (apt-get install time)"
[ -x "$OUTFLOW_BIN" ] || die "$OUTFLOW_BIN not built (make build)"
mkdir -p "$DATA"

# The simulator's flow output identity: a tiny organisation's conn.log changes when it does.
flow_sim_version() {
  local p="$DATA/flow-probe"
  rm -rf "$p"
  "$OUTFLOW_BIN" simulate --seed 1 --hosts 5 --days 1 --endpoint-share 0 --formats zeek --out "$p" -q
  { cat "$p/labels.jsonl"; cat "$p/zeek/conn.log"; } | sha1sum | cut -c1-16
  rm -rf "$p"
}

# gen DAYS: makes (once) the conn.log of HOSTS hosts over DAYS days and prints its path.
gen() {
  local days=$1 base="$DATA/flow-seed$SEED-h$HOSTS-d$1" d="$DATA/flow-work"
  if [ -f "$base.meta" ] && [ "$(head -1 "$base.meta")" = "$VERSION" ] && [ -f "$base.conn.log" ] && [ -f "$base.dns.log" ]; then
    echo "$base.conn.log"
    return
  fi
  echo "flow bench: simulating $HOSTS hosts x $days days, Zeek conn.log only (seed $SEED) ..." >&2
  rm -rf "$d" "$base.meta"
  "$OUTFLOW_BIN" simulate --seed "$SEED" --hosts "$HOSTS" --days "$days" --endpoint-share 0 --formats zeek --out "$d" -q
  mv "$d/zeek/conn.log" "$base.conn.log"
  mv "$d/zeek/dns.log" "$base.dns.log"  # for the Zeek JSON row (gen_zeek_json)
  rm -rf "$d"
  { echo "$VERSION"; echo "conns=$(grep -vc '^#' "$base.conn.log") hosts=$HOSTS days=$days seed=$SEED"; } > "$base.meta"
  echo "$base.conn.log"
}

# gen_zeek_json DAYS: the same organisation's Zeek conn.log and dns.log (kept by gen) as one Zeek JSON
# stream (bench/zeek_tsv2json.py: `_path` on each record, as a shipper's stream has it), converted once;
# prints its path. The EVE row's yardstick (issue 19: at least Zeek JSON's speed).
gen_zeek_json() {
  local base="$DATA/flow-seed$SEED-h$HOSTS-d$1" conn
  conn=$(gen "$1")
  if [ -f "$base.zeek.json" ] && [ "$base.zeek.json" -nt "$conn" ]; then
    echo "$base.zeek.json"
    return
  fi
  echo "flow bench: Zeek conn.log and dns.log of $1 days to one JSON stream ..." >&2
  python3 "$HERE/zeek_tsv2json.py" "$base.zeek.json" "$conn" "$base.dns.log" > /dev/null
  echo "$base.zeek.json"
}

# gen_eve DAYS: the same organisation's Suricata eve.json (made once) and prints its path.
gen_eve() {
  local base="$DATA/flow-seed$SEED-h$HOSTS-d$1" d="$DATA/flow-work"
  if [ -f "$base.eve.meta" ] && [ "$(head -1 "$base.eve.meta")" = "$VERSION" ] && [ -f "$base.eve.json" ]; then
    echo "$base.eve.json"
    return
  fi
  echo "flow bench: simulating $HOSTS hosts x $1 days, Suricata eve.json only (seed $SEED) ..." >&2
  rm -rf "$d" "$base.eve.meta"
  "$OUTFLOW_BIN" simulate --seed "$SEED" --hosts "$HOSTS" --days "$1" --endpoint-share 0 --formats suricata --out "$d" -q
  mv "$d/suricata/eve.json" "$base.eve.json"
  rm -rf "$d"
  { echo "$VERSION"; echo "flows=$(grep -c '"event_type":"flow"' "$base.eve.json") events=$(wc -l < "$base.eve.json") hosts=$HOSTS days=$1 seed=$SEED"; } > "$base.eve.meta"
  echo "$base.eve.json"
}

BENCH_NAME="flow bench"
# shellcheck source=bench/measure_lib.sh
source "$HERE/measure_lib.sh"

# gen_proxy: makes (once) the Squid access.log and PAN-OS traffic log of the same organisation behind a
# proxy (`simulate --proxy`, issue 13) over BENCH_PROXY_DAYS days, and prints the folder's base path.
gen_proxy() {
  local days=$1 base="$DATA/proxy-seed$SEED-h$HOSTS-d$1" d="$DATA/proxy-work"
  if [ -f "$base.meta" ] && [ "$(head -1 "$base.meta")" = "$VERSION" ] && [ -f "$base.access.log" ] && [ -f "$base.panos.log" ]; then
    echo "$base"
    return
  fi
  echo "flow bench: simulating $HOSTS hosts x $days days behind a proxy (seed $SEED) ..." >&2
  rm -rf "$d" "$base.meta"
  "$OUTFLOW_BIN" simulate --seed "$SEED" --hosts "$HOSTS" --days "$days" --endpoint-share 0 --formats zeek --proxy --out "$d" -q
  mv "$d/proxy/access.log" "$base.access.log"
  mv "$d/firewall/panos.log" "$base.panos.log"
  rm -rf "$d"
  { echo "$VERSION"; echo "squid_lines=$(wc -l < "$base.access.log") panos_lines=$(wc -l < "$base.panos.log") hosts=$HOSTS days=$days seed=$SEED"; } > "$base.meta"
  echo "$base"
}

VERSION=$(flow_sim_version)
DUCK=0
if [ "$WITH_DUCKDB" = 1 ]; then
  if duckdb_setup; then DUCK=1; else STATUS=1; fi
fi
NOTES=()
for days in "$DAYS" $((DAYS * 2)); do
  conn=$(gen "$days")
  conns=$(grep -o 'conns=[0-9]*' "${conn%.conn.log}.meta" | cut -d= -f2)
  NOTES+=("$(basename "$conn"): $(tail -1 "${conn%.conn.log}.meta")")
  cat "$conn" > /dev/null  # every run reads from the page cache
  echo "flow bench: outflow on $days days ($conns connections), interleaved with what it is compared with ..." >&2
  keys=("sessions$days" "hunt$days")
  register "sessions$days" "outflow sessions (${days} d)" "$(size_of "$conn")" "$conns" 0 "$OUTFLOW_BIN" sessions "$conn"
  register "hunt$days" "outflow hunt (${days} d)" "$(size_of "$conn")" "$conns" 1 "$OUTFLOW_BIN" hunt -q --format json "$conn"
  if [ "$WITH_EVE" = 1 ] && [ "$days" = "$DAYS" ]; then
    eve=$(gen_eve "$days")
    NOTES+=("$(basename "$eve"): $(tail -1 "${eve%.eve.json}.eve.meta")")
    cat "$eve" > /dev/null
    zj=$(gen_zeek_json "$days")
    NOTES+=("$(basename "$zj"): $(wc -l < "$zj") records (conn.log and dns.log)")
    cat "$zj" > /dev/null
    register "eve$days" "outflow hunt EVE (${days} d)" "$(size_of "$eve")" "$conns" 1 "$OUTFLOW_BIN" hunt -q --format json "$eve"
    register "zeekjson$days" "outflow hunt Zeek JSON (${days} d)" "$(size_of "$zj")" "$conns" 1 "$OUTFLOW_BIN" hunt -q --format json "$zj"
    keys+=("eve$days" "zeekjson$days")
  fi
  if [ "$DUCK" = 1 ]; then
    for t in 2 1; do
      register "duckdb$t-$days" "DuckDB $t thread$([ "$t" = 2 ] && echo s) (${days} d)" "$(size_of "$conn")" "$conns" 0 \
        node "$TOOLS/duckdb_pairs.mjs" "$conn" "$t"
      keys+=("duckdb$t-$days")
    done
  fi
  interleave "${keys[@]}"
done

# The readers of issue 13 on their own logs: `outflow sessions` on Squid's access.log (each request a
# session) and on the PAN-OS traffic log (each line a flow). Records/s here are the log's lines.
PDAYS=${BENCH_PROXY_DAYS:-$DAYS}
pbase=$(gen_proxy "$PDAYS")
NOTES+=("$(basename "$pbase"): $(tail -1 "$pbase.meta")")
for log in access panos; do
  f="$pbase.$log.log"
  cat "$f" > /dev/null
  n=$(wc -l < "$f")
  label=$([ "$log" = access ] && echo "Squid access.log" || echo "PAN-OS traffic log")
  echo "flow bench: outflow sessions on the $label ($PDAYS d, $n lines) ..." >&2
  measure "$log" "sessions: $label" "$(size_of "$f")" "$n" 0 "$OUTFLOW_BIN" sessions "$f"
done

# The readers alone (issue 13's and 19's per-reader targets): build/bin/evtx_parse_bench reads a file
# with the CLI's reader into a sink that only counts; the best of RUNS runs' MB per CPU second.
PARSE_BIN=${PARSE_BIN:-$BUILD/bin/evtx_parse_bench}
declare -A ALONE
reader_alone() {
  local key=$1 file=$2 best="" out c
  [ -x "$PARSE_BIN" ] || return 0
  for _ in $(seq "$RUNS"); do
    out=$("$PARSE_BIN" "$file" 2> /dev/null) || return 0
    c=$(awk '{ for (i = 1; i < NF; ++i) if ($i == "cpu_s") print $(i + 1) }' <<< "$out")
    if [ -z "$best" ] || awk -v a="$c" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$c; fi
  done
  ALONE[$key]=$(awk -v b="$(stat -c %s "$file")" -v c="$best" 'BEGIN { printf "%.0f", (c > 0 ? b / 1e6 / c : 0) }')
}
echo "flow bench: the readers alone (evtx_parse_bench) ..." >&2
reader_alone access "$pbase.access.log"
reader_alone panos "$pbase.panos.log"
if [ "$WITH_EVE" = 1 ]; then
  reader_alone eve "$eve"
  reader_alone zeekjson "$zj"
fi
reader_alone zeektsv "$DATA/flow-seed$SEED-h$HOSTS-d$DAYS.conn.log"

D2=$((DAYS * 2))
{
  echo "Flow-only benchmark: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -m), seed $SEED, $HOSTS hosts, no endpoint telemetry"
  echo "input: the simulated Zeek conn.log (TSV); files in the page cache; best of $RUNS runs, the rows of one input size run in turn; MB = 10^6 bytes"
  echo "DuckDB: @duckdb/node-api $DUCKDB_VERSION on node $(node --version 2> /dev/null || echo '(none)'): read_csv(delim tab, comment '#',"
  echo "  nullstr '-') grouped by (id.orig_h, id.resp_h): count, sum(orig_bytes), sum(resp_bytes), min(ts), max(ts)"
  echo
  printf '%-28s %10s %9s %9s %12s %12s %6s %7s %6s\n' "run" "input MB" "wall s" "MB/s" "records/s" "peak RSS MB" "CPU" "CPU s" "load"
  for row in "${ROWS[@]}"; do echo "$row"; done
  echo
  echo "records/s: conn.log connections, or the Squid / PAN-OS log's lines, per wall second."
  echo "CPU: CPU time / wall time; CPU s: user + system seconds of the fastest run (less sensitive to other load)."
  echo "load: 1-minute load average before the fastest run (other work on the machine slows every row)."
  echo "query_s: DuckDB's query alone, without node's start-up and DuckDB's set-up and tear-down (wall s has them)."
  share() { [ -n "${MBS[$1]:-}" ] && [ -n "${MBS[$2]:-}" ] && awk -v a="${MBS[$1]}" -v b="${MBS[$2]}" 'BEGIN { printf "%.0f%%", 100 * a / b }' || echo "?"; }
  if [ "$DUCK" = 1 ]; then
    echo "outflow hunt MB/s as a share of DuckDB's (2 threads; target >= 100%): $DAYS d $(share "hunt$DAYS" "duckdb2-$DAYS"), $D2 d $(share "hunt$D2" "duckdb2-$D2")"
    echo "outflow sessions MB/s as a share of DuckDB's (2 threads): $DAYS d $(share "sessions$DAYS" "duckdb2-$DAYS"), $D2 d $(share "sessions$D2" "duckdb2-$D2")"
  fi
  if [ "$WITH_EVE" = 1 ]; then
    echo "EVE: the same connections as Suricata flow events, with dns (query and answer), tls/http and per-minute stats events:"
    echo "  conns/s is comparable with the Zeek rows, MB/s is not (an EVE event is ~4x a conn.log line)"
    echo "Zeek JSON: the same organisation's conn.log and dns.log as one JSON stream (bench/zeek_tsv2json.py)"
    echo "EVE against Zeek JSON, MB per CPU second of outflow hunt (target: at least Zeek JSON's): EVE ${CPUS[eve$DAYS]:-?}, Zeek JSON ${CPUS[zeekjson$DAYS]:-?}"
  fi
  echo "peak RSS, $DAYS d -> $D2 d (target <= 256 MB and flat): hunt ${RSS[hunt$DAYS]:-?} -> ${RSS[hunt$D2]:-?} MB," \
    "sessions ${RSS[sessions$DAYS]:-?} -> ${RSS[sessions$D2]:-?} MB"
  echo "Squid and PAN-OS, whole outflow sessions runs (read, stitch, join, write), MB per CPU second: Squid ${CPUS[access]:-?}," \
    "PAN-OS ${CPUS[panos]:-?}; peak RSS ${RSS[access]:-?} / ${RSS[panos]:-?} MB"
  echo "readers alone (evtx_parse_bench: the CLI's reader into a counting sink), MB per CPU second, best of $RUNS" \
    "(target >= 300 per core for Squid and PAN-OS): Squid ${ALONE[access]:-?}, PAN-OS ${ALONE[panos]:-?}," \
    "Zeek TSV conn.log ${ALONE[zeektsv]:-?}$([ "$WITH_EVE" = 1 ] && echo ", Suricata EVE ${ALONE[eve]:-?}, Zeek JSON ${ALONE[zeekjson]:-?}")"
  echo "data (cached in $DATA):"
  for n in "${NOTES[@]}"; do echo "  $n"; done
}
exit "$STATUS"
