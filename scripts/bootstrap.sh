#!/usr/bin/env bash
# Installs every Debian 12 package Outflow needs to build, test and benchmark.
# Idempotent: does nothing when everything is already there. Run as root (or with sudo available).
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build pkg-config
  libsimdjson-dev      # JSON lines reader (On-Demand API)
  libcli11-dev         # command-line parsing
  libfmt-dev           # formatting
  libzstd-dev zstd     # .zst inputs (zstd CLI used by tests to make fixtures)
  zlib1g-dev gzip      # .gz inputs
  libsqlite3-dev       # baseline state store
  libyaml-cpp-dev      # config
  libmaxminddb-dev     # DestinationCountry lookups
  libpsl-dev publicsuffix  # registered domains (Public Suffix List) for intel feed matching
  libgtest-dev libgmock-dev googletest  # unit tests
  libbenchmark-dev     # micro benchmarks
  libssl-dev           # SHA-1 for Community ID v1
  python3              # golden-test helpers and the benchmark driver
  time                 # /usr/bin/time -v for peak RSS in make bench
  libevtx-utils libevtx-dev  # EVTX differential test and benchmark baseline (evtxexport)
  libesedb-dev libbfio-dev  # SRUM (SRUDB.dat, an ESE database): libesedb 20181229, read from an in-memory copy
  clang-14 libclang-rt-14-dev  # make fuzz: libFuzzer + ASan/UBSan runtimes (CXX=clang++-14)
)

# `bootstrap.sh --bench` (make bench, when node is missing): node and npm, which fetch DuckDB for the
# flow-only benchmark's baseline (bench/flow_bench.sh). Never needed by make test or make demo.
if [ "${1:-}" = "--bench" ]; then PKGS=(nodejs npm); fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
