#!/usr/bin/env bash
# Runs every libFuzzer target (or those named) for SECONDS each, one at a time (the machine is
# shared): fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
# Corpora: BUILD_DIR/corpus/<target> (grows, kept between runs) seeded from
# BUILD_DIR/seeds/<target> (fuzz/make_seeds.py). A crash, leak, timeout, out-of-memory or
# sanitizer report stops that target, leaves the input in BUILD_DIR/artifacts/<target>/ and
# makes the script exit 1 after the other targets have run.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-fuzz}
SECONDS_EACH=${2:-60}
shift 2 || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  for b in "$BUILD"/fuzz/*_fuzz; do TARGETS+=("$(basename "$b")"); done
fi

python3 fuzz/make_seeds.py "$BUILD/seeds" "$PWD" || exit 2

# Longest input per target: one EVTX chunk for the chunk parser, a few chunks for a file.
max_len() {
  case "$1" in
    evtx_chunk_fuzz) echo 65536 ;;
    evtx_file_fuzz) echo 200000 ;;
    pipeline_fuzz|hunt_fuzz) echo 65536 ;;
    *) echo 131072 ;;
  esac
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
failed=()
for t in "${TARGETS[@]}"; do
  bin="$BUILD/fuzz/$t"
  [ -x "$bin" ] || { echo "fuzz: no target $bin" >&2; exit 2; }
  mkdir -p "$BUILD/corpus/$t" "$BUILD/artifacts/$t" "$BUILD/seeds/$t"
  dict=()
  [ -f "fuzz/dict/$t.dict" ] && dict=(-dict="fuzz/dict/$t.dict")
  echo "fuzz: $t for ${SECONDS_EACH}s" >&2
  log="$BUILD/artifacts/$t/last.log"
  "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
    -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t/" "${dict[@]}" \
    "$BUILD/corpus/$t" "$BUILD/seeds/$t" >"$log" 2>&1
  rc=$?
  grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)" "$log" | sed "s/^/  /" >&2
  if [ $rc -ne 0 ]; then
    echo "fuzz: $t FAILED (exit $rc); log: $log" >&2
    grep -E "ERROR|runtime error|SUMMARY|Test unit written" "$log" | head -20 >&2
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failures in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all ${#TARGETS[@]} targets clean" >&2
