#!/usr/bin/env bash
# `make bench`: throughput and peak memory of `outflow sessions` on simulated Sysmon JSON + Zeek conn.log
# (`outflow simulate`),
# beside a simdjson-alone baseline on the same Sysmon files, at ~1, ~2 and ~4 GB (to show that peak RSS
# does not grow with the input). Then the flow-only rows beside DuckDB (bench/flow_bench.sh) and the
# EVTX benchmark (bench/evtx_bench.sh).
#
# Usage: bench/run.sh BUILD_DIR
# Env:
#   BENCH_SIZES_MB  Sysmon sizes to test, in MB of 10^6 bytes (default "1000 2000 4000"; "" for none)
#   BENCH_FLOW      1 (default): then the flow-only rows (bench/flow_bench.sh: outflow on a Zeek conn.log
#                   beside DuckDB); 0: not.  BENCH_EVTX  1 (default): then bench/evtx_bench.sh; 0: not
#   BENCH_DENSE     1 (default): then the dense rows (bench/dense_bench.sh: every record used, beside
#                   DuckDB's join of the same files; BENCH_DENSE_DAYS, BENCH_COLLECTOR_MB, BENCH_MANY_HOSTS); 0: not
#   BENCH_INTEL     1 (default): then the intel feed load (build/bin/intel_load_bench, 1 M indicators); 0: not
#   BENCH_SRUM      1 (default): then `outflow usage` on SRUM (bench/srum_bench.sh; SRUM_BENCH_HOSTS/DAYS); 0: not
#   BENCH_SEED      simulator seed (default 42);  BENCH_HOSTS  hosts of the simulated organisation (default 50)
#   BENCH_OTHER_EVENTS  unused Sysmon events (7/10/11/13) per used one, as in real logs (default 3)
#   BENCH_RUNS      runs of each command; the table shows the fastest (default 3)
#   BENCH_SKEW      clock fault for the skewed rows (default "3:-5d@all": every host's Sysmon 3 five days
#                   behind its Sysmon 1, issue 14); BENCH_SKEW_SIZES  sizes that get them (default: the first)
#   BENCH_INTEL_SIZES  sizes that get a `hunt --intel` row (the simulator's feed, plain and STIX; default:
#                   the first size)
#   OUTFLOW_BIN     the outflow binary (default BUILD_DIR/bin/outflow)
#   OUTFLOW_CMD     the whole command before the two file arguments (default "$OUTFLOW_BIN sessions");
#                   e.g. OUTFLOW_CMD="du -s" to test this script without outflow
# Data is simulated once and cached in BUILD_DIR/bench-data/ (again when the simulator's output
# changes). Results go to stdout and BUILD_DIR/bench-results.txt.
set -euo pipefail

BUILD=${1:?usage: bench/run.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
SIZES=${BENCH_SIZES_MB-"1000 2000 4000"}  # set and empty: no Sysmon rows
SEED=${BENCH_SEED:-42}
HOSTS=${BENCH_HOSTS:-50}
OTHER=${BENCH_OTHER_EVENTS:-3}
RUNS=${BENCH_RUNS:-3}
SKEW=${BENCH_SKEW:-"3:-5d@all"}
SKEW_SIZES=${BENCH_SKEW_SIZES:-${SIZES%% *}}
INTEL_SIZES=${BENCH_INTEL_SIZES:-${SIZES%% *}}
OUTFLOW_BIN=${OUTFLOW_BIN:-$BUILD/bin/outflow}
read -r -a OUTFLOW_CMD <<< "${OUTFLOW_CMD:-$OUTFLOW_BIN sessions}"
LABEL="outflow sessions"
[ "${OUTFLOW_CMD[0]}" = "$OUTFLOW_BIN" ] || LABEL="${OUTFLOW_CMD[*]}"
BASELINE=$BUILD/bin/simdjson_baseline_gen
DATA=$BUILD/bench-data
RESULTS=$BUILD/bench-results.txt
TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 2; }
[ -x "$TIME" ] || die "$TIME not found (apt-get install time)"
for b in "$OUTFLOW_BIN" "$BASELINE"; do [ -x "$b" ] || die "$b not built (make build)"; done
command -v "${OUTFLOW_CMD[0]}" >/dev/null || die "${OUTFLOW_CMD[0]} not found (make build)"
mkdir -p "$DATA"

# kv KEY FILE: the value of KEY=VALUE in FILE's key=value words.
kv() { grep -o "\b$1=[^ ]*" "$2" | head -1 | cut -d= -f2; }
# Peak RSS (MB) out of a GNU time -v report.
rss_of() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

# gen MB: makes (once) the Sysmon file and conn.log for about MB of Sysmon with `outflow simulate`, and
# prints their base path. The simulated organisation has HOSTS hosts; the number of days is chosen from
# a one-week calibration run so that its Sysmon comes to about MB. Sysmon is written flat (NXLog
# shape, as the simdjson baseline counts EventID) with OTHER unused events per used one, one file per
# host in the folder BASE.sysmon/ (as per-host forwarders or exports give them).
gen() {
  local mb=$1 skew=${2:-} base="$DATA/sim-${1}MB-seed$SEED-h$HOSTS-o$OTHER" version week days d
  local skew_args=()
  if [ -n "$skew" ]; then
    base="$base-skew$(echo "$skew" | tr -c 'a-zA-Z0-9' '_')"
    skew_args=(--clock-skew-events "$skew")
  fi
  version=$(sim_version)
  if [ -f "$base.meta" ] && [ "$(head -1 "$base.meta")" = "$version" ] && [ -d "$base.sysmon" ] && [ -f "$base.conn.log" ] &&
     [ -f "$base.intel.txt" ]; then
    echo "$base"
    return
  fi
  local need=$(( mb * 115 / 100 )) avail
  avail=$(df -Pm "$DATA" | awk 'NR == 2 { print $4 }')
  [ "$avail" -gt "$need" ] || die "need ~${need} MB free in $DATA, have ${avail} MB"
  d="$DATA/sim-work"
  rm -rf "$d" "$base.meta" "$base.json" "$base.sysmon"
  "$OUTFLOW_BIN" simulate --seed "$SEED" --hosts "$HOSTS" --days 7 --formats sysmon --sysmon-shape flat \
                 --other-events "$OTHER" --out "$d" -q
  week=$(cat "$d"/sysmon/*.jsonl | wc -c)
  days=$(awk -v mb="$mb" -v w="$week" 'BEGIN { d = int(mb * 1e6 * 7 / w + 0.5); print (d < 1 ? 1 : d) }')
  rm -rf "$d"
  echo "bench: simulating $HOSTS hosts x $days days (~${mb} MB of Sysmon, seed $SEED) ..." >&2
  "$OUTFLOW_BIN" simulate --seed "$SEED" --hosts "$HOSTS" --days "$days" --formats sysmon,zeek --sysmon-shape flat \
                 --other-events "$OTHER" "${skew_args[@]}" --intel "$d/intel.txt" --out "$d" 2> "$base.sim.tmp"
  mv "$d/zeek/conn.log" "$base.conn.log"
  mv "$d/intel.txt" "$base.intel.txt"
  mv "$d/intel.txt.stix.json" "$base.intel.stix.json"
  mv "$d/sysmon" "$base.sysmon"
  rm -rf "$d"
  { echo "$version"
    echo "sysmon_lines=$(cat "$base.sysmon"/*.jsonl | wc -l) hosts=$HOSTS days=$days seed=$SEED other_events=$OTHER${skew:+ clock_skew_events=$skew}"
    head -1 "$base.sim.tmp"; } > "$base.meta"
  rm -f "$base.sim.tmp"
  echo "bench:   $(tail -1 "$base.meta")" >&2
  echo "$base"
}

# The simulator's output identity: the labels of a tiny organisation change when its output does.
sim_version() {
  local p="$DATA/sim-probe"
  rm -rf "$p"
  "$OUTFLOW_BIN" simulate --seed 1 --hosts 5 --days 1 --formats sysmon --out "$p" -q
  { cat "$p/labels.jsonl"; cat "$p"/sysmon/*.jsonl; } | sha1sum | cut -c1-16
  rm -rf "$p"
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
STATUS=0
ROWS=()
GEN_NOTES=()
RSS_OUTFLOW=()
RSS_HUNT=()
HUNT_RATIOS=()
INTEL_RATIOS=()
RATIOS=()
IMPL="?"

# measure LABEL SIZE INPUT_BYTES LINES CMD...: runs CMD RUNS times under GNU time and appends a table row
# with the fastest run's wall time and CPU share, and the highest peak RSS of all runs.
measure() {
  local label=$1 size=$2 bytes=$3 lines=$4 rc=0 wall="" rss=0 cpu="" mb t0 t1 w r
  shift 4
  LAST_RSS="" LAST_RC=0 LAST_MBS=""
  local ok_rc=0
  [ "$label" = "outflow hunt" ] && ok_rc=1  # hunt exits 1 when it has findings
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s.%N)
    "$TIME" -v -o "$TMP/time" "$@" > "$TMP/out" 2> "$TMP/err" || rc=$?
    t1=$(date +%s.%N)
    [ "$rc" -le "$ok_rc" ] && rc=0
    if [ "$rc" -ne 0 ]; then
      LAST_RC=$rc
      ROWS+=("$(printf '%-8s %-20s %10s  FAILED (exit %d): %s' "$size" "$label" "$mb" "$rc" "$(tail -c 300 "$TMP/err" | tr '\n' ' ')")")
      STATUS=1
      return
    fi
    w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    r=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$TMP/time")
    if [ -z "$wall" ] || awk -v a="$w" -v b="$wall" 'BEGIN { exit !(a < b) }'; then
      wall=$w
      cpu=$(awk -F': ' '/Percent of CPU/ { print $2 }' "$TMP/time")
    fi
    rss=$(awk -v a="$r" -v b="$rss" 'BEGIN { print (a > b ? a : b) }')
  done
  ROWS+=("$(awk -v s="$size" -v l="$label" -v mb="$mb" -v w="$wall" -v n="$lines" -v r="$rss" -v c="$cpu" 'BEGIN {
    printf "%-8s %-20s %10.1f %9.3f %9.1f %12.0f %12.1f %6s", s, l, mb, w, mb / w, n / w, r, c }')")
  LAST_RSS=$rss
  LAST_MBS=$(awk -v mb="$mb" -v w="$wall" 'BEGIN { printf "%.1f", mb / w }')
}

for mb in $SIZES; do
  base=$(gen "$mb")
  sysmon="$base.sysmon" conn="$base.conn.log"
  lines=$(kv sysmon_lines "$base.meta")
  sbytes=$(cat "$sysmon"/*.jsonl | wc -c)
  cbytes=$(stat -c %s "$conn")
  GEN_NOTES+=("$(basename "$base"): $(tail -1 "$base.meta")")
  size="$(awk -v b="$sbytes" 'BEGIN { if (b >= 1e9) printf "%.1f GB", b / 1e9; else printf "%.0f MB", b / 1e6 }')"
  cat "$sysmon"/*.jsonl "$conn" > /dev/null  # both runs read from the page cache
  echo "bench: ${OUTFLOW_CMD[*]} on $size ..." >&2
  measure "$LABEL" "$size" $(( sbytes + cbytes )) "$lines" "${OUTFLOW_CMD[@]}" "$sysmon" "$conn"
  RSS_OUTFLOW+=("${LAST_RSS:-?}")
  ours=$LAST_MBS
  if [ "${OUTFLOW_CMD[0]}" = "$OUTFLOW_BIN" ]; then
    # The detector on the same input: target >= 80% of the sessions throughput.
    echo "bench: $OUTFLOW_BIN hunt on $size ..." >&2
    measure "outflow hunt" "$size" $(( sbytes + cbytes )) "$lines" "$OUTFLOW_BIN" hunt -q --format json "$sysmon" "$conn"
    [ "$LAST_RC" -le 1 ] || STATUS=1
    RSS_HUNT+=("${LAST_RSS:-?}")
    [ -z "$ours" ] || [ -z "$LAST_MBS" ] ||
      HUNT_RATIOS+=("$(awk -v s="$size" -v h="$LAST_MBS" -v o="$ours" 'BEGIN { printf "%s: %.0f%%", s, 100 * h / o }')")
    if [[ " $INTEL_SIZES " == *" $mb "* ]]; then
      # The same hunt with threat-intel feeds (issue 17: at most 5% slower): the simulator's feed of
      # the scenarios' command servers and decoys, as a plain list and as its STIX 2.1 bundle.
      # This machine's speed drifts by tens of percent over minutes: the two are run in turn
      # (without, with, without, ...) and the best of each compared.
      echo "bench: $OUTFLOW_BIN hunt with and without --intel on $size, in turn ..." >&2
      best_plain="" best_intel=""
      for _ in $(seq "$RUNS"); do
        for variant in plain intel; do
          extra=()
          [ "$variant" = intel ] && extra=(--intel "$base.intel.txt" --intel "$base.intel.stix.json")
          t0=$(date +%s.%N)
          rc=0
          "$OUTFLOW_BIN" hunt -q --format json "${extra[@]}" "$sysmon" "$conn" > "$TMP/out" 2> "$TMP/err" || rc=$?
          t1=$(date +%s.%N)
          if [ "$rc" -gt 1 ]; then echo "bench: hunt --intel failed (exit $rc): $(tail -c 300 "$TMP/err")" >&2; STATUS=1; continue; fi
          w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
          if [ "$variant" = intel ]; then
            [ -z "$best_intel" ] || awk -v a="$w" -v b="$best_intel" 'BEGIN { exit !(a < b) }' && best_intel=$w
          else
            [ -z "$best_plain" ] || awk -v a="$w" -v b="$best_plain" 'BEGIN { exit !(a < b) }' && best_plain=$w
          fi
        done
      done
      if [ -n "$best_plain" ] && [ -n "$best_intel" ]; then
        ROWS+=("$(awk -v s="$size" -v b=$(( sbytes + cbytes )) -v w="$best_intel" -v n="$lines" 'BEGIN {
          printf "%-8s %-20s %10.1f %9.3f %9.1f %12.0f %12s %6s", s, "outflow hunt+intel", b / 1e6, w, b / 1e6 / w, n / w, "-", "-" }')")
        INTEL_RATIOS+=("$(awk -v s="$size" -v i="$best_intel" -v h="$best_plain" 'BEGIN { printf "%s: %.1f%% (%.3f s against %.3f s, run in turn)", s, 100 * h / i, i, h }')")
      fi
    fi
  fi
  if [ "${OUTFLOW_CMD[0]}" = "$OUTFLOW_BIN" ] && [ -n "$SKEW" ] && [[ " $SKEW_SIZES " == *" $mb "* ]]; then
    # The same organisation with the clock fault: the survey and the shifted merge keys must cost
    # little (target: within 10% of the rows above, in speed and peak RSS).
    sbase=$(gen "$mb" "$SKEW")
    GEN_NOTES+=("$(basename "$sbase"): $(tail -1 "$sbase.meta")")
    sb2=$(cat "$sbase.sysmon"/*.jsonl | wc -c)
    cb2=$(stat -c %s "$sbase.conn.log")
    cat "$sbase.sysmon"/*.jsonl "$sbase.conn.log" > /dev/null
    for cmd in sessions hunt; do
      echo "bench: $OUTFLOW_BIN $cmd on $size with clock skew $SKEW ..." >&2
      if [ "$cmd" = hunt ]; then
        measure "outflow hunt" "$size" $(( sb2 + cb2 )) "$lines" "$OUTFLOW_BIN" hunt -q --format json "$sbase.sysmon" "$sbase.conn.log"
      else
        measure "$LABEL" "$size" $(( sb2 + cb2 )) "$lines" "$OUTFLOW_BIN" sessions "$sbase.sysmon" "$sbase.conn.log"
      fi
      [ "$LAST_RC" -le 1 ] || STATUS=1
      ROWS[${#ROWS[@]}-1]="${ROWS[${#ROWS[@]}-1]}  skew $SKEW"
    done
  fi
  for threads in 0 1; do
    echo "bench: simdjson baseline (threaded=$threads) on $size ..." >&2
    measure "simdjson $((threads + 1)) thread$([ "$threads" = 1 ] && echo s)" "$size" "$sbytes" "$lines" \
      "$BASELINE" "$sysmon"/*.jsonl --threads "$threads"
    if [ "$LAST_RC" -eq 0 ] && [ "$(kv docs "$TMP/out")" != "$lines" ]; then
      echo "bench: simdjson baseline counted $(kv docs "$TMP/out") documents, expected $lines" >&2
      STATUS=1
    fi
    if [ "$threads" = 0 ] && [ -n "$ours" ] && [ -n "$LAST_MBS" ]; then
      IMPL=$(kv impl "$TMP/out")
      RATIOS+=("$(awk -v s="$size" -v o="$ours" -v b="$LAST_MBS" 'BEGIN { printf "%s: %.0f%% of simdjson-alone MB/s", s, 100 * o / b }')")
    fi
  done
done

: > "$RESULTS"
if [ -n "$SIZES" ]; then
{
  echo "Outflow benchmark: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -m), seed $SEED, $HOSTS hosts"
  echo "command: ${OUTFLOW_CMD[*]} SYSMON/ CONN.log > /dev/null (SYSMON/: one JSON-lines file per host)"
  echo "files in the page cache; best of $RUNS runs; MB = 10^6 bytes; CPU = CPU time / wall time"
  echo
  printf '%-8s %-20s %10s %9s %9s %12s %12s %6s\n' "sysmon" "run" "input MB" "wall s" "MB/s" "events/s" "peak RSS MB" "CPU"
  for row in "${ROWS[@]}"; do echo "$row"; done
  echo
  echo "input MB: outflow reads the Sysmon JSON and the conn.log; the baseline reads the Sysmon JSON only."
  echo "events/s: Sysmon lines / wall seconds. Baseline: simdjson $IMPL, ondemand iterate_many over 4 MB chunks,"
  echo "counting documents and extracting EventID (a ceiling for any JSON reader on this machine); with"
  echo "2 threads, simdjson indexes the next batch on a second thread."
  [ "${#RATIOS[@]}" -eq 0 ] || echo "$LABEL throughput: $(IFS=';'; echo "${RATIOS[*]}" | sed 's/;/; /g')"
  [ "${#RSS_OUTFLOW[@]}" -lt 2 ] || echo "$LABEL peak RSS by size: ${RSS_OUTFLOW[*]} MB"
  [ "${#HUNT_RATIOS[@]}" -eq 0 ] || echo "outflow hunt throughput as a share of sessions (target >= 80%): $(IFS=';'; echo "${HUNT_RATIOS[*]}" | sed 's/;/; /g')"
  [ "${#RSS_HUNT[@]}" -lt 2 ] || echo "outflow hunt peak RSS by size: ${RSS_HUNT[*]} MB"
  [ "${#INTEL_RATIOS[@]}" -eq 0 ] || echo "outflow hunt with intel feeds as a share of hunt without (target >= 95%): $(IFS=';'; echo "${INTEL_RATIOS[*]}" | sed 's/;/; /g')"
  echo "data (cached in $DATA):"
  for n in "${GEN_NOTES[@]}"; do echo "  $n"; done
} | tee -a "$RESULTS"
fi

if [ "${BENCH_FLOW:-1}" = 1 ] && [ -f "$HERE/flow_bench.sh" ]; then
  [ ! -s "$RESULTS" ] || echo | tee -a "$RESULTS"
  bash "$HERE/flow_bench.sh" "$BUILD" | tee -a "$RESULTS" || STATUS=1
fi
if [ "${BENCH_DENSE:-1}" = 1 ] && [ -f "$HERE/dense_bench.sh" ]; then
  # Dense input beside DuckDB's join of the same files (issue 15, bench/dense_bench.sh).
  echo | tee -a "$RESULTS"
  bash "$HERE/dense_bench.sh" "$BUILD" | tee -a "$RESULTS" || STATUS=1
fi
if [ "${BENCH_EVTX:-1}" = 1 ] && [ -f "$HERE/evtx_bench.sh" ]; then
  echo | tee -a "$RESULTS"
  bash "$HERE/evtx_bench.sh" "$BUILD" 2>&1 | tee -a "$RESULTS" || STATUS=1
fi
if [ "${BENCH_SRUM:-1}" = 1 ] && [ -f "$HERE/srum_bench.sh" ]; then
  # SRUM (docs/srum.md): `outflow usage` on the SRUDB.dat samples and on a simulated organisation's
  # SrumECmd exports (bench/srum_bench.sh).
  echo | tee -a "$RESULTS"
  bash "$HERE/srum_bench.sh" "$BUILD" 2>&1 | tee -a "$RESULTS" || STATUS=1
fi
if [ "${BENCH_INTEL:-1}" = 1 ] && [ -x "$BUILD/bin/intel_load_bench" ]; then
  # Intel feeds (docs/intel.md): one million indicators, plain and STIX (10 values per indicator
  # object, and one), one load per process.
  echo | tee -a "$RESULTS"
  for kind in plain stix stix1; do "$BUILD/bin/intel_load_bench" 1000000 "$BUILD" "$kind" | tee -a "$RESULTS" || STATUS=1; done
fi
echo "bench: results written to $RESULTS" >&2
exit "$STATUS"
