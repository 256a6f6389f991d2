#!/usr/bin/env bash
# SRUM (`outflow usage`, docs/srum.md): rows per second and peak RSS
#   - on the SRUDB.dat samples of ../shared/datasets/srum-samples (skipped, and said, when absent);
#   - on a simulated organisation's SrumECmd exports (`outflow simulate --formats srum`: one
#     DIR/srum/HOST_SrumECmd_NetworkUsages_Output.csv per host, hourly rows per program and user),
#     read as a folder, JSON lines out and the table; and `outflow hunt` on it (every program and
#     user of every host scored and written, --min-score 0).
# The simulated exports are made once and cached in BUILD_DIR/bench-data/ (again when the
# simulator's output changes); how long the simulation took is printed with them.
#
# Usage: bench/srum_bench.sh BUILD_DIR
# Env: OUTFLOW_DATASETS (default: ../shared/datasets beside the repo), SRUM_BENCH_HOSTS (default
# 200), SRUM_BENCH_DAYS (default 60), SRUM_BENCH_SEED (default 42), SRUM_BENCH_RUNS (best of, default 3).
set -euo pipefail

BUILD=${1:?usage: srum_bench.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DATA=${OUTFLOW_DATASETS:-$ROOT/../shared/datasets}
OUTFLOW=$BUILD/bin/outflow
HOSTS=${SRUM_BENCH_HOSTS:-200}
DAYS=${SRUM_BENCH_DAYS:-60}
SEED=${SRUM_BENCH_SEED:-42}
RUNS=${SRUM_BENCH_RUNS:-3}
TIME=/usr/bin/time
CACHE=$BUILD/bench-data

[ -x "$OUTFLOW" ] || { echo "srum bench: $OUTFLOW not built (make build)" >&2; exit 2; }
[ -x "$TIME" ] || { echo "srum bench: $TIME not found (apt-get install time)" >&2; exit 2; }
mkdir -p "$CACHE"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# best LABEL ROWS BYTES CMD...: runs CMD RUNS times under GNU time; prints the fastest run's wall
# time, rows/s and MB/s, and the highest peak RSS of all runs.
best() {
  local label=$1 rows=$2 bytes=$3 wall="" rss=0 w r rc
  shift 3
  for _ in $(seq "$RUNS"); do
    rc=0
    "$TIME" -v -o "$TMP/time" "$@" > /dev/null 2> "$TMP/err" || rc=$?
    if [ "$rc" -ne 0 ]; then
      printf '  %-44s FAILED (exit %d): %s\n' "$label" "$rc" "$(tail -c 300 "$TMP/err" | tr '\n' ' ')"
      STATUS=1
      return
    fi
    w=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$TMP/time")
    r=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$TMP/time")
    if [ -z "$wall" ] || awk -v a="$w" -v b="$wall" 'BEGIN { exit !(a < b) }'; then wall=$w; fi
    rss=$(awk -v a="$r" -v b="$rss" 'BEGIN { print (a > b ? a : b) }')
  done
  awk -v l="$label" -v n="$rows" -v b="$bytes" -v w="$wall" -v r="$rss" 'BEGIN {
    if (w <= 0) w = 0.005;
    printf "  %-44s %10d rows %8.2f s %11.0f rows/s %8.1f MB/s %8.1f MB peak RSS\n", l, n, w, n / w, b / 1e6 / w, r }'
}

# The simulator's output identity (as bench/run.sh): a tiny organisation's SRUM and labels.
sim_version() {
  local p="$CACHE/srum-probe"
  rm -rf "$p"
  "$OUTFLOW" simulate --seed 1 --hosts 5 --days 1 --formats srum --out "$p" -q
  { cat "$p/labels.jsonl"; cat "$p"/srum/*.csv; } | sha1sum | cut -c1-16
  rm -rf "$p"
}

STATUS=0
echo "SRUM: outflow usage and hunt, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores; best of $RUNS runs; MB = 10^6 bytes; output to /dev/null"

# --- the samples -------------------------------------------------------------------------------
if [ -d "$DATA/srum-samples" ]; then
  echo "samples ($DATA/srum-samples), one SRUDB.dat at a time (--host given; rows = JSON lines written):"
  for db in "$DATA"/srum-samples/*/SRUDB.dat; do
    name=$(basename "$(dirname "$db")")
    rows=$("$OUTFLOW" usage -q --host bench "$db" 2> /dev/null | wc -l || true)
    best "$name/SRUDB.dat" "$rows" "$(stat -c %s "$db")" "$OUTFLOW" usage -q --host bench "$db"
  done
else
  echo "samples: SKIPPED, $DATA/srum-samples not found (../shared/datasets)"
fi

# --- a simulated organisation's exports ---------------------------------------------------------
version=$(sim_version)
base="$CACHE/srum-sim-seed$SEED-h$HOSTS-d$DAYS"
if ! { [ -f "$base.meta" ] && [ "$(head -1 "$base.meta")" = "$version" ] && [ -d "$base/srum" ]; }; then
  rm -rf "$base" "$base.meta"
  echo "srum bench: simulating $HOSTS hosts x $DAYS days (--formats srum) ..." >&2
  t0=$(date +%s.%N)
  "$OUTFLOW" simulate --seed "$SEED" --hosts "$HOSTS" --days "$DAYS" --formats srum --out "$base" 2> "$TMP/sim"
  t1=$(date +%s.%N)
  { echo "$version"
    awk -v a="$t0" -v b="$t1" -v h="$HOSTS" -v d="$DAYS" 'BEGIN { printf "simulated %d hosts x %d days (--formats srum) in %.0f s", h, d, b - a }'
    echo; } > "$base.meta"
fi
files=("$base"/srum/*.csv)
bytes=$(cat "${files[@]}" | wc -c)
rows=$(( $(cat "${files[@]}" | wc -l) - ${#files[@]} ))
echo "simulated: $(tail -1 "$base.meta"): ${#files[@]} SrumECmd exports, $rows rows, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB"
cat "${files[@]}" > /dev/null  # from the page cache
best "$HOSTS hosts x $DAYS days, JSON lines" "$rows" "$bytes" "$OUTFLOW" usage -q "$base/srum"
best "$HOSTS hosts x $DAYS days, --format table" "$rows" "$bytes" "$OUTFLOW" usage -q --format table "$base/srum"
# hunt exits 1 when it reports findings: that is success here.
best "$HOSTS hosts x $DAYS days, hunt (SRUM findings)" "$rows" "$bytes" \
  bash -c '"$0" hunt -q --format json --min-score 0 "$1"; [ $? -le 1 ]' "$OUTFLOW" "$base/srum"
big=$(ls -S "${files[@]}" | sed -n 1p)  # sed reads it all: no SIGPIPE under pipefail
brows=$(( $(wc -l < "$big") - 1 ))
best "the largest host's export alone, JSON lines" "$brows" "$(stat -c %s "$big")" "$OUTFLOW" usage -q --host bench "$big"
exit "$STATUS"
