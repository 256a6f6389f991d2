#!/usr/bin/env bash
# EVTX reading speed: Outflow's own reader against libevtx's evtxexport, in the same run, on the
# EVTX files of ../shared/datasets and on one larger file assembled from their chunks
# (bench/evtx_concat.py). For each: wall seconds, CPU seconds (user + sys), MB/s and records/s,
# with 1 and with 2 threads side by side, for
#   - the parse stage alone (build/bin/evtx_parse_bench: the reader into a sink that only counts),
#   - the whole `outflow coverage` run (the reader feeding the single-threaded join),
#   - evtxexport -f xml (libevtx; one thread).
# The 2-thread speedup is wall(1 thread) / wall(2 threads). Other work on the machine skews it:
# the load average is printed before and after; trust the figures only when it is low.
#
# Usage: bench/evtx_bench.sh BUILD_DIR
# Env: OUTFLOW_DATASETS (default: ../shared/datasets beside the repo), EVTX_BENCH_REPEAT (times
# the chunks are repeated in the large file, default 20: about 1 GB), EVTX_BENCH_RUNS (best of, default 5).
set -euo pipefail

BUILD=${1:?usage: evtx_bench.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DATA=${OUTFLOW_DATASETS:-$ROOT/../shared/datasets}
OUTFLOW=$BUILD/bin/outflow
PARSE=$BUILD/bin/evtx_parse_bench
REPEAT=${EVTX_BENCH_REPEAT:-20}
RUNS=${EVTX_BENCH_RUNS:-5}

if [ ! -d "$DATA/evtx-attack-samples" ]; then
  echo "evtx bench: skipped, datasets not found at $DATA" >&2
  exit 0
fi
for b in "$OUTFLOW" "$PARSE"; do [ -x "$b" ] || { echo "evtx bench: $b not built (make build)" >&2; exit 2; }; done
HAVE_LIBEVTX=1
command -v evtxexport >/dev/null || { HAVE_LIBEVTX=0; echo "evtx bench: evtxexport not installed (scripts/bootstrap.sh), ours only" >&2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
find "$DATA/evtx-attack-samples" "$DATA/evtx-to-mitre-attack" -name '*.evtx' -type f | LC_ALL=C sort > "$TMP/files"
mapfile -t FILES < "$TMP/files"
NFILES=${#FILES[@]}
BYTES=$(cat "${FILES[@]}" | wc -c)
load() { cut -d' ' -f1-3 /proc/loadavg; }

# best_of CMD...: "wall cpu" of the run with the best wall time of RUNS runs (seconds; cpu =
# user + sys of the command, its threads and children; bash's `time`, to the millisecond).
best_of() {
  local best="" cpu="" w c
  for _ in $(seq "$RUNS"); do
    { TIMEFORMAT='%3R %3U %3S'; time "$@" > /dev/null 2>&1 || true; } 2> "$TMP/t"
    read -r w u s < "$TMP/t"
    c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }')
    if [ -z "$best" ] || awk -v d="$w" -v m="$best" 'BEGIN { exit !(d < m) }'; then best=$w; cpu=$c; fi
  done
  echo "$best $cpu"
}
# row LABEL "WALL CPU" RECORDS BYTES
row() {
  read -r w c <<< "$2"
  awk -v l="$1" -v s="$w" -v c="$c" -v r="$3" -v b="$4" 'BEGIN {
    if (s <= 0) s = 0.0005;
    printf "  %-38s %7.3f s wall %7.3f s cpu %11.0f records/s %8.1f MB/s\n", l, s, c, r / s, b / 1e6 / s }'
}
speedup() { awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.2fx", x[1] / (y[1] > 0 ? y[1] : 0.0005) }'; }

# ours RECORDS BYTES FILE...: the parse stage alone and `outflow coverage`, 1 and 2 threads, with
# the 2-thread speedups; leaves coverage's "wall cpu" in C1 and C2.
ours() {
  local rec=$1 bytes=$2 p1 p2
  shift 2
  p1=$(best_of "$PARSE" --threads 1 "$@")
  p2=$(best_of "$PARSE" --threads 2 "$@")
  C1=$(best_of "$OUTFLOW" coverage -q --json --threads 1 "$@")
  C2=$(best_of "$OUTFLOW" coverage -q --json --threads 2 "$@")
  row "parse alone, 1 thread" "$p1" "$rec" "$bytes"
  row "parse alone, 2 threads" "$p2" "$rec" "$bytes"
  row "outflow coverage, 1 thread" "$C1" "$rec" "$bytes"
  row "outflow coverage, 2 threads" "$C2" "$rec" "$bytes"
  echo "  (2-thread speedup: parse stage $(speedup "$p1" "$p2"), whole run $(speedup "$C1" "$C2"))"
}

# evtxexport on each file, listing those it reads whole (it gives up on a file at the first
# record it cannot read).
cat > "$TMP/libevtx_each.sh" <<'EOS'
ok=$1; shift; : > "$ok"
for f in "$@"; do evtxexport -f xml "$f" > /dev/null 2>&1 && echo "$f" >> "$ok"; done
exit 0
EOS

echo "EVTX benchmark, $(nproc) cores, load average before: $(load)"
# Records as counted by the chunk headers (what a complete reader yields).
read -r _ REC_ALL _ _ < <(python3 "$HERE/evtx_concat.py" - 1 "${FILES[@]}")
echo "EVTX  $NFILES files of the datasets, $(awk -v b="$BYTES" 'BEGIN{printf "%.1f", b/1e6}') MB, $REC_ALL records (chunk headers)"
ours "$REC_ALL" "$BYTES" "${FILES[@]}"
echo "  (files of 1 to 3 chunks are parsed on one thread: a second thread pays off from about 4 chunks)"
if [ "$HAVE_LIBEVTX" = 1 ]; then
  L=$(best_of bash "$TMP/libevtx_each.sh" "$TMP/libevtx_ok" "${FILES[@]}")
  mapfile -t OK < "$TMP/libevtx_ok"
  read -r _ REC_LIB _ _ < <(python3 "$HERE/evtx_concat.py" - 1 "${OK[@]}")
  row "evtxexport -f xml, 1 thread" "$L" "$REC_LIB" "$BYTES"
  echo "  (evtxexport reads $REC_LIB records: it gives up on $((NFILES - ${#OK[@]})) files;" \
       "outflow coverage is $(speedup "$L" "$C1") faster on 1 thread)"
else
  cp "$TMP/files" "$TMP/libevtx_ok"
  mapfile -t OK < "$TMP/libevtx_ok"
fi

# One large file from the chunks of the files both readers can read, so both do the same work.
read -r NCH REC_BIG BYTES_BIG USED_BIG < <(python3 "$HERE/evtx_concat.py" "$TMP/big.evtx" "$REPEAT" "${OK[@]}")
cat "$TMP/big.evtx" > /dev/null  # into the page cache
echo "EVTX  one file of $NCH chunks ($REPEAT x the readable files' chunks), $(awk -v b="$BYTES_BIG" 'BEGIN{printf "%.1f", b/1e6}') MB, $REC_BIG records"
ours "$REC_BIG" "$BYTES_BIG" "$TMP/big.evtx"
if [ "$HAVE_LIBEVTX" = 1 ]; then
  L=$(best_of evtxexport -f xml "$TMP/big.evtx")
  row "evtxexport -f xml, 1 thread" "$L" "$REC_BIG" "$BYTES_BIG"
  echo "  (outflow coverage is $(speedup "$L" "$C1") faster than libevtx on 1 thread, $(speedup "$L" "$C2") on 2)"
fi
echo "  MB/s counts whole 64 KiB chunks, used or not (records fill $(awk -v u="$USED_BIG" -v n="$NCH" 'BEGIN{printf "%.0f", 100*u/(n*65536)}')% of this file's chunks);"
echo "  records/s is the fairer rate."
echo "load average after: $(load)"
