# Shared by the benches that compare outflow with DuckDB (bench/flow_bench.sh, bench/dense_bench.sh):
# installing DuckDB, and measuring commands interleaved. Sourced; the caller sets HERE (bench/),
# TOOLS (where npm installs DuckDB), DUCKDB_VERSION, RUNS, TIME (/usr/bin/time) and BENCH_NAME (for
# messages), and uses STATUS, ROWS, MBS, RSS, CPUS and WALLS after interleave.

# DuckDB from npm, pinned; prints why not on stderr and fails when it cannot be had.
duckdb_setup() {
  if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
    bash "$HERE/../scripts/bootstrap.sh" --bench >&2 || { echo "$BENCH_NAME: node/npm could not be installed" >&2; return 1; }
  fi
  local have
  have=$(cd "$TOOLS" 2> /dev/null && node -p "require('./node_modules/@duckdb/node-api/package.json').version" 2> /dev/null || true)
  if [ "$have" != "$DUCKDB_VERSION" ]; then
    mkdir -p "$TOOLS"
    echo "$BENCH_NAME: npm install @duckdb/node-api@$DUCKDB_VERSION into $TOOLS ..." >&2
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "@duckdb/node-api@$DUCKDB_VERSION" >&2 ||
      { echo "$BENCH_NAME: npm could not install @duckdb/node-api@$DUCKDB_VERSION" >&2; return 1; }
  fi
  cp "$HERE"/duckdb_*.mjs "$TOOLS/"  # node resolves the package from the script's folder
}

# size_of PATH...: bytes of the files and folders (recursively), summed.
size_of() { du -cb --apparent-size "$@" | tail -1 | cut -f1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
STATUS=0
ROWS=()
declare -A MBS RSS CPUS WALLS
LABEL_W=${LABEL_W:-28}  # width of the table's first column

# register KEY LABEL BYTES RECORDS OK_RC CMD...: a row to measure (BYTES: its input's size; RECORDS:
# what records/s counts; OK_RC: the highest exit status that is not a failure). interleave KEY...:
# runs the KEYs' commands in turn, RUNS rounds (so a machine whose speed drifts, as a shared VM's does
# by tens of percent over minutes, slows every row of a comparison alike), then one row per KEY with
# the fastest run's wall, CPU share, CPU seconds and the 1-minute load average before it, and the
# highest peak RSS of all runs. measure KEY ...: register and interleave one row. A command's stdout
# goes to a file ($TMP/out); one that prints "rows=N" must count RECORDS rows.
declare -A R_LABEL R_BYTES R_CONNS R_OK R_CMD R_WALL R_LOAD R_CPU R_CPUS R_RSS R_EXTRA R_FAIL
register() {
  local key=$1
  R_LABEL[$key]=$2 R_BYTES[$key]=$3 R_CONNS[$key]=$4 R_OK[$key]=$5
  shift 5
  R_CMD[$key]=$(printf '%q ' "$@")
  R_WALL[$key]="" R_RSS[$key]=0 R_FAIL[$key]="" R_EXTRA[$key]=""
}
run_once() {
  local key=$1 rc=0 t0 t1 w r l
  [ -z "${R_FAIL[$key]}" ] || return 0
  l=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s.%N)
  eval "$TIME -v -o \"\$TMP/time\" ${R_CMD[$key]}" > "$TMP/out" 2> "$TMP/err" || rc=$?
  t1=$(date +%s.%N)
  if [ "$rc" -gt "${R_OK[$key]}" ]; then
    R_FAIL[$key]="FAILED (exit $rc): $(tail -c 300 "$TMP/err" | tr '\n' ' ')"
    return 0
  fi
  w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  r=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$TMP/time")
  if [ -z "${R_WALL[$key]}" ] || awk -v a="$w" -v b="${R_WALL[$key]}" 'BEGIN { exit !(a < b) }'; then
    R_WALL[$key]=$w R_LOAD[$key]=$l
    R_CPU[$key]=$(awk -F': ' '/Percent of CPU/ { print $2 }' "$TMP/time")
    R_CPUS[$key]=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$TMP/time")
    R_EXTRA[$key]=$(grep -o 'query_s=[0-9.]*' "$TMP/out" || true)
  fi
  R_RSS[$key]=$(awk -v a="$r" -v b="${R_RSS[$key]}" 'BEGIN { print (a > b ? a : b) }')
  if grep -q '^rows=' "$TMP/out" && [ "$(grep -o 'rows=[0-9]*' "$TMP/out" | cut -d= -f2)" != "${R_CONNS[$key]}" ]; then
    echo "$BENCH_NAME: ${R_LABEL[$key]} counted $(grep -o 'rows=[0-9]*' "$TMP/out"), expected ${R_CONNS[$key]} connections" >&2
    STATUS=1
  fi
}
row() {
  local key=$1 mb
  mb=$(awk -v b="${R_BYTES[$key]}" 'BEGIN { printf "%.1f", b / 1e6 }')
  if [ -n "${R_FAIL[$key]}" ]; then
    ROWS+=("$(printf "%-${LABEL_W}s %10s  %s" "${R_LABEL[$key]}" "$mb" "${R_FAIL[$key]}")")
    STATUS=1
    return
  fi
  ROWS+=("$(awk -v lw="$LABEL_W" -v l="${R_LABEL[$key]}" -v mb="$mb" -v w="${R_WALL[$key]}" -v n="${R_CONNS[$key]}" -v r="${R_RSS[$key]}" \
    -v c="${R_CPU[$key]}" -v cs="${R_CPUS[$key]}" -v ld="${R_LOAD[$key]}" -v x="${R_EXTRA[$key]}" 'BEGIN {
    printf "%-" lw "s %10.1f %9.3f %9.1f %12.0f %12.1f %6s %7s %6s  %s", l, mb, w, mb / w, n / w, r, c, cs, ld, x }')")
  MBS[$key]=$(awk -v mb="$mb" -v w="${R_WALL[$key]}" 'BEGIN { printf "%.1f", mb / w }')
  RSS[$key]=${R_RSS[$key]}
  WALLS[$key]=${R_WALL[$key]}
  CPUS[$key]=$(awk -v mb="$mb" -v c="${R_CPUS[$key]}" 'BEGIN { printf "%.1f", (c > 0 ? mb / c : 0) }')  # MB per CPU second
}
interleave() {
  local k
  for _ in $(seq "$RUNS"); do
    for k in "$@"; do run_once "$k"; done
  done
  for k in "$@"; do row "$k"; done
}
measure() {
  register "$@"
  interleave "$1"
}
