#!/usr/bin/env bash
# EVTX reading speed: Outflow's own reader (through `outflow coverage`) against libevtx's
# evtxexport, in the same run, on the EVTX files of ../shared/datasets and on one larger file
# assembled from their chunks (bench/evtx_concat.py). Reports records/s and MB/s.
#
# Usage: bench/evtx_bench.sh BUILD_DIR
# Env: OUTFLOW_DATASETS (default: ../shared/datasets beside the repo), EVTX_BENCH_REPEAT (times
# the chunks are repeated in the large file, default 4), EVTX_BENCH_RUNS (best of, default 3).
set -euo pipefail

BUILD=${1:?usage: evtx_bench.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DATA=${OUTFLOW_DATASETS:-$ROOT/../shared/datasets}
OUTFLOW=$BUILD/bin/outflow
REPEAT=${EVTX_BENCH_REPEAT:-4}
RUNS=${EVTX_BENCH_RUNS:-3}

if [ ! -d "$DATA/evtx-attack-samples" ]; then
  echo "evtx bench: skipped, datasets not found at $DATA" >&2
  exit 0
fi
[ -x "$OUTFLOW" ] || { echo "evtx bench: $OUTFLOW not built" >&2; exit 2; }
HAVE_LIBEVTX=1
command -v evtxexport >/dev/null || { HAVE_LIBEVTX=0; echo "evtx bench: evtxexport not installed (scripts/bootstrap.sh), ours only" >&2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
find "$DATA/evtx-attack-samples" "$DATA/evtx-to-mitre-attack" -name '*.evtx' -type f | LC_ALL=C sort > "$TMP/files"
mapfile -t FILES < "$TMP/files"
NFILES=${#FILES[@]}
BYTES=$(cat "${FILES[@]}" | wc -c)

now() { date +%s.%N; }
# best_of CMD...: best wall time of RUNS runs, in seconds.
best_of() {
  local best="" t0 t1 dt
  for _ in $(seq "$RUNS"); do
    t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
    dt=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
    if [ -z "$best" ] || awk -v d="$dt" -v m="$best" 'BEGIN { exit !(d < m) }'; then best=$dt; fi
  done
  echo "$best"
}
row() {  # label seconds records bytes
  awk -v l="$1" -v s="$2" -v r="$3" -v b="$4" \
    'BEGIN { printf "  %-26s %8.3f s %12.0f records/s %9.1f MB/s\n", l, s, r / s, b / 1e6 / s }'
}

ours_dataset() { "$OUTFLOW" coverage -q --json "${FILES[@]}"; }
libevtx_dataset() {
  local f
  : > "$TMP/libevtx_ok"
  for f in "${FILES[@]}"; do
    if evtxexport -f xml "$f" > "$TMP/out.xml" 2>/dev/null; then echo "$f" >> "$TMP/libevtx_ok"; fi
  done
}

# Records as counted by the chunk headers (what a complete reader yields).
read -r _ REC_ALL _ < <(python3 "$HERE/evtx_concat.py" - 1 "${FILES[@]}")
echo "EVTX  $NFILES files of the datasets, $(awk -v b="$BYTES" 'BEGIN{printf "%.1f", b/1e6}') MB, $REC_ALL records (chunk headers)"
T=$(best_of ours_dataset)
row "outflow coverage" "$T" "$REC_ALL" "$BYTES"
T_OURS_DATASET=$T
if [ "$HAVE_LIBEVTX" = 1 ]; then
  T=$(best_of libevtx_dataset)
  mapfile -t OK < "$TMP/libevtx_ok"
  read -r _ REC_LIB _ < <(python3 "$HERE/evtx_concat.py" - 1 "${OK[@]}")
  row "evtxexport -f xml" "$T" "$REC_LIB" "$BYTES"
  echo "  (evtxexport reads $REC_LIB records: it gives up on $((NFILES - ${#OK[@]})) files; speedup $(awk -v a="$T" -v b="$T_OURS_DATASET" 'BEGIN{printf "%.0fx", a/b}') wall time)"
else
  cp "$TMP/files" "$TMP/libevtx_ok"
  mapfile -t OK < "$TMP/libevtx_ok"
fi

# One large file from the chunks of the files both readers can read, so both do the same work.
read -r NCH REC_BIG BYTES_BIG < <(python3 "$HERE/evtx_concat.py" "$TMP/big.evtx" "$REPEAT" "${OK[@]}")
echo "EVTX  one file of $NCH chunks ($REPEAT x the readable files' chunks), $(awk -v b="$BYTES_BIG" 'BEGIN{printf "%.1f", b/1e6}') MB, $REC_BIG records"
T2=$(best_of "$OUTFLOW" coverage -q --json "$TMP/big.evtx")
row "outflow coverage, $(nproc) cores" "$T2" "$REC_BIG" "$BYTES_BIG"
if command -v taskset >/dev/null; then
  T1=$(best_of taskset -c 0 "$OUTFLOW" coverage -q --json "$TMP/big.evtx")
  row "outflow coverage, 1 core" "$T1" "$REC_BIG" "$BYTES_BIG"
  echo "  (2-core speedup $(awk -v a="$T1" -v b="$T2" 'BEGIN{printf "%.2fx", a/b}'); other load on the machine skews it)"
fi
if [ "$HAVE_LIBEVTX" = 1 ]; then
  TL=$(best_of evtxexport -f xml "$TMP/big.evtx")
  row "evtxexport -f xml" "$TL" "$REC_BIG" "$BYTES_BIG"
  echo "  (speedup $(awk -v a="$TL" -v b="$T2" 'BEGIN{printf "%.0fx", a/b}') over libevtx)"
fi
