#!/usr/bin/env bash
# `make bench`, dense rows (issue 15): input where every record matters, beside DuckDB doing one SQL
# join of the same files (bench/duckdb_join.mjs: Sysmon 3 to conn records on the 4-tuple, bytes summed
# by ProcessGuid), in the same run, interleaved, best of BENCH_RUNS:
#   - sim: `outflow simulate --hosts 50 --days BENCH_DENSE_DAYS --formats sysmon,zeek --sysmon-shape
#     flat --other-events 0` (one Sysmon file per host, every event one outflow uses, and the conn.log);
#   - collector: one JSON-lines file of 200 hosts' Sysmon 1 and 3 (a collector's export, 20,000
#     processes, 70% connection events) and its conn log (JSON), made by
#     ../shared/tools/gen_sysmon_ndjson.py, at BENCH_COLLECTOR_MB and twice that (peak RSS must stay
#     within 10%);
#   - many: BENCH_MANY_HOSTS simulated hosts x 1 day (600 and 5,000), one Sysmon file per host (an
#     incident collection: 5,000 hosts are 7.3 GB of Sysmon and 0.9 GB of conn.log, made in about
#     100 s), against the 50-host sim's MB/s.
# Targets (issue 15): hunt >= 3x DuckDB's speed on sim and >= 1.5x on collector, sessions >= 1.5x on
# sim, peak RSS <= 256 MB everywhere. See bench/README.md.
#
# Usage: bench/dense_bench.sh BUILD_DIR
# Env:
#   BENCH_DENSE_DAYS (20), BENCH_COLLECTOR_MB (500; "" for no collector rows), BENCH_MANY_HOSTS ("600 5000"; 0
#   or "" for no many-input row), BENCH_HOSTS (50), BENCH_SEED (42), BENCH_RUNS (3), BENCH_DUCKDB (1; 0: outflow
#   rows only), DUCKDB_VERSION (as bench/flow_bench.sh), SHARED_TOOLS (../shared/tools beside the checkout)
set -euo pipefail

BUILD=${1:?usage: bench/dense_bench.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
DAYS=${BENCH_DENSE_DAYS:-20}
COLLECTOR_MB=${BENCH_COLLECTOR_MB-500}
MANY=${BENCH_MANY_HOSTS-600 5000}
[ "$MANY" != 0 ] || MANY=""
HOSTS=${BENCH_HOSTS:-50}
SEED=${BENCH_SEED:-42}
RUNS=${BENCH_RUNS:-3}
WITH_DUCKDB=${BENCH_DUCKDB:-1}
DUCKDB_VERSION=${DUCKDB_VERSION:-1.5.6-r.1}
SHARED_TOOLS=${SHARED_TOOLS:-$HERE/../../shared/tools}
OUTFLOW_BIN=${OUTFLOW_BIN:-$BUILD/bin/outflow}
DATA=$BUILD/bench-data
TOOLS=$BUILD/bench-tools
TIME=/usr/bin/time
BENCH_NAME="dense bench"
LABEL_W=38

die() { echo "dense bench: $*" >&2; exit 2; }
[ -x "$TIME" ] || die "$TIME not found (apt-get install time)"
[ -x "$OUTFLOW_BIN" ] || die "$OUTFLOW_BIN not built (make build)"
mkdir -p "$DATA"
# shellcheck source=bench/measure_lib.sh
source "$HERE/measure_lib.sh"

# The simulator's identity: a tiny organisation's Sysmon and conn.log change when it does.
sim_version() {
  local p="$DATA/dense-probe"
  rm -rf "$p"
  "$OUTFLOW_BIN" simulate --seed 1 --hosts 5 --days 1 --formats sysmon,zeek --sysmon-shape flat --other-events 0 --out "$p" -q
  { cat "$p/labels.jsonl"; cat "$p"/sysmon/*.jsonl; cat "$p/zeek/conn.log"; } | sha1sum | cut -c1-16
  rm -rf "$p"
}

# gen_sim HOSTS DAYS: makes (once) BASE.sysmon/ (a file per host) and BASE.conn.log; prints BASE.
gen_sim() {
  local hosts=$1 days=$2 base="$DATA/dense-seed$SEED-h$1-d$2" d="$DATA/dense-work"
  if [ -f "$base.meta" ] && [ "$(head -1 "$base.meta")" = "$VERSION" ] && [ -d "$base.sysmon" ] && [ -f "$base.conn.log" ]; then
    echo "$base"
    return
  fi
  echo "dense bench: simulating $hosts hosts x $days days, every Sysmon event used (seed $SEED) ..." >&2
  rm -rf "$d" "$base.meta" "$base.sysmon" "$base.conn.log"
  "$OUTFLOW_BIN" simulate --seed "$SEED" --hosts "$hosts" --days "$days" --formats sysmon,zeek --sysmon-shape flat \
    --other-events 0 --out "$d" -q
  mv "$d/sysmon" "$base.sysmon"
  mv "$d/zeek/conn.log" "$base.conn.log"
  rm -rf "$d"
  {
    echo "$VERSION"
    echo "events=$(( $(cat "$base.sysmon"/*.jsonl | wc -l) + $(grep -vc '^#' "$base.conn.log") )) sysmon_lines=$(cat "$base.sysmon"/*.jsonl | wc -l)" \
      "conns=$(grep -vc '^#' "$base.conn.log") files=$(find "$base.sysmon" -name '*.jsonl' | wc -l) hosts=$hosts days=$days seed=$SEED"
  } > "$base.meta"
  echo "$base"
}

# gen_collector MB: makes (once) BASE.ndjson and BASE.conn.json with gen_sysmon_ndjson.py; prints BASE.
gen_collector() {
  local mb=$1 base="$DATA/collector-seed42-$1mb"
  if [ -f "$base.meta" ] && [ -f "$base.ndjson" ] && [ -f "$base.conn.json" ]; then
    echo "$base"
    return
  fi
  echo "dense bench: a collector's file of $mb MB (gen_sysmon_ndjson.py) ..." >&2
  python3 "$SHARED_TOOLS/gen_sysmon_ndjson.py" "$base.ndjson" "$mb" 42 "$base.conn.json" 2> /dev/null
  echo "events=$(( $(wc -l < "$base.ndjson") + $(wc -l < "$base.conn.json") )) sysmon_lines=$(wc -l < "$base.ndjson") conns=$(wc -l < "$base.conn.json")" \
    > "$base.meta"
  echo "$base"
}

kv() { grep -o "$1=[0-9]*" "$2" | head -1 | cut -d= -f2; }

VERSION=$(sim_version)
DUCK=0
if [ "$WITH_DUCKDB" = 1 ]; then
  if duckdb_setup; then DUCK=1; else STATUS=1; fi
fi
NOTES=()

# rows TAG LABEL SYSMON CONN: registers hunt, sessions and DuckDB on one input, then interleaves them.
rows() {
  local tag=$1 label=$2 sysmon=$3 conn=$4 meta=$5 bytes events keys
  bytes=$(size_of "$sysmon" "$conn")
  events=$(kv events "$meta")
  NOTES+=("$label: $(basename "$sysmon") + $(basename "$conn"): $(tail -1 "$meta")")
  cat "$sysmon" "$conn" > /dev/null 2>&1 || find "$sysmon" -type f -exec cat {} + > /dev/null  # into the page cache
  echo "dense bench: $label ($((bytes / 1000000)) MB, $events events), interleaved ..." >&2
  keys=("hunt-$tag" "sessions-$tag")
  register "hunt-$tag" "outflow hunt ($label)" "$bytes" "$events" 1 "$OUTFLOW_BIN" hunt -q --format json "$sysmon" "$conn"
  register "sessions-$tag" "outflow sessions ($label)" "$bytes" "$events" 0 "$OUTFLOW_BIN" sessions -q "$sysmon" "$conn"
  if [ "$DUCK" = 1 ]; then
    register "duckdb-$tag" "DuckDB 2 threads ($label)" "$bytes" "$events" 0 node "$TOOLS/duckdb_join.mjs" "$sysmon" "$conn" 2
    keys+=("duckdb-$tag")
  fi
  interleave "${keys[@]}"
}

base=$(gen_sim "$HOSTS" "$DAYS")
rows sim "sim ${HOSTS} hosts ${DAYS} d" "$base.sysmon" "$base.conn.log" "$base.meta"

if [ -n "$COLLECTOR_MB" ]; then
  if [ -f "$SHARED_TOOLS/gen_sysmon_ndjson.py" ]; then
    for mb in "$COLLECTOR_MB" $((COLLECTOR_MB * 2)); do
      cbase=$(gen_collector "$mb")
      rows "col$mb" "collector ${mb} MB" "$cbase.ndjson" "$cbase.conn.json" "$cbase.meta"
    done
  else
    echo "dense bench: no collector rows: $SHARED_TOOLS/gen_sysmon_ndjson.py not found (set SHARED_TOOLS)" >&2
    NOTES+=("collector rows skipped: $SHARED_TOOLS/gen_sysmon_ndjson.py not found")
  fi
fi

for n in $MANY; do
  mbase=$(gen_sim "$n" 1)
  NOTES+=("many: $(basename "$mbase").sysmon + conn.log: $(tail -1 "$mbase.meta")")
  find "$mbase.sysmon" -type f -exec cat {} + > /dev/null  # 8 GB at 5,000: only partly cached
  echo "dense bench: $n host files, 1 day ..." >&2
  measure "many$n" "outflow hunt ($n host files)" "$(size_of "$mbase.sysmon" "$mbase.conn.log")" "$(kv events "$mbase.meta")" 1 \
    "$OUTFLOW_BIN" hunt -q --format json "$mbase.sysmon" "$mbase.conn.log"
done

{
  echo "Dense benchmark (issue 15): $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -m), seed $SEED"
  echo "input: every record one outflow uses; files in the page cache; best of $RUNS runs, the rows of one input run in turn; MB = 10^6 bytes"
  echo "DuckDB: @duckdb/node-api $DUCKDB_VERSION on node $(node --version 2> /dev/null || echo '(none)'), 2 threads: Sysmon 3 (read_json)"
  echo "  joined to conn records on (SourceIp, SourcePort, DestinationIp, DestinationPort), bytes summed by ProcessGuid"
  echo
  printf "%-${LABEL_W}s %10s %9s %9s %12s %12s %6s %7s %6s\n" "run" "input MB" "wall s" "MB/s" "events/s" "peak RSS MB" "CPU" "CPU s" "load"
  for row in "${ROWS[@]}"; do echo "$row"; done
  echo
  echo "events/s: Sysmon lines plus conn records per wall second. sessions writes its JSON lines to a file."
  times() { [ -n "${WALLS[$1]:-}" ] && [ -n "${WALLS[$2]:-}" ] && awk -v a="${WALLS[$1]}" -v b="${WALLS[$2]}" 'BEGIN { printf "%.2fx", b / a }' || echo "?"; }
  if [ "$DUCK" = 1 ]; then
    echo "speed against DuckDB's (its wall / outflow's; targets: hunt >= 3x and sessions >= 1.5x on sim, hunt >= 1.5x on collector):"
    echo "  sim: hunt $(times hunt-sim duckdb-sim), sessions $(times sessions-sim duckdb-sim)"
    [ -z "$COLLECTOR_MB" ] || echo "  collector: hunt $(times "hunt-col$COLLECTOR_MB" "duckdb-col$COLLECTOR_MB") ($COLLECTOR_MB MB)," \
      "$(times "hunt-col$((COLLECTOR_MB * 2))" "duckdb-col$((COLLECTOR_MB * 2))") ($((COLLECTOR_MB * 2)) MB)"
  fi
  echo "peak RSS (target <= 256 MB): hunt sim ${RSS[hunt-sim]:-?} MB, sessions sim ${RSS[sessions-sim]:-?} MB"
  [ -z "$COLLECTOR_MB" ] || echo "peak RSS, collector $COLLECTOR_MB -> $((COLLECTOR_MB * 2)) MB (target <= 256 MB, at most 10% more):" \
    "hunt ${RSS[hunt-col$COLLECTOR_MB]:-?} -> ${RSS[hunt-col$((COLLECTOR_MB * 2))]:-?} MB"
  for n in $MANY; do
    echo "many inputs: $n host files at ${MBS[many$n]:-?} MB/s and ${RSS[many$n]:-?} MB against the 50-host sim's" \
      "${MBS[hunt-sim]:-?} MB/s (target: within 20%, <= 256 MB with 5,000 files)"
  done
  echo "the collector generator's conn records never match its Sysmon events (random originators): DuckDB joins nothing there"
  echo "data (cached in $DATA):"
  for n in "${NOTES[@]}"; do echo "  $n"; done
}
exit "$STATUS"
