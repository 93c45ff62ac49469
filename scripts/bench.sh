#!/usr/bin/env bash
# fairio's benchmark against the Python reference (ome-zarr-py / zarr-python):
# TIFF -> OME-Zarr 0.5 conversion throughput and peak memory, and chunk-read
# throughput. Sets itself up first. Prints a table and writes
# tests/bench/results/latest.json; see docs/benchmarks.md.
#
#   npm run bench                          # >= 1 GiB input (default)
#   FAIRIO_BENCH_GIB=0.25 npm run bench    # quick run
#   FAIRIO_BENCH_PROFILE=1 npm run bench   # also profile one fairio conversion
#   npm run bench -- NAME [ARGS]           # any other benchmark, tests/bench/NAME.ts:
#                                          # viewer, predict, classify, classify-browser,
#                                          # imagej-batch, crate, encode-throughput, forest-libraries
#   npm run bench -- list                  # what NAME can be
set -euo pipefail
cd "$(dirname "$0")/.."

# The standalone benchmarks (the other .ts files in tests/bench are run.ts's children and shared modules).
benchmarks() { printf '%s\n' viewer predict classify classify-browser imagej-batch crate encode-throughput forest-libraries; }
if [ "${1:-}" = "list" ]; then
  benchmarks
  exit 0
fi
if [ -n "${1:-}" ] && [ "${1#-}" = "$1" ] && ! benchmarks | grep -qx "$1"; then
  echo "[bench] no benchmark named '$1'; there are: $(benchmarks | tr '\n' ' ')" >&2
  exit 2
fi
bash scripts/setup.sh

# Peak memory is measured with GNU time ("Maximum resident set size").
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "[bench] installing GNU time" >&2
    apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
  else
    echo "[bench] GNU time (/usr/bin/time) is needed: install the 'time' package" >&2
    exit 1
  fi
fi

if [ -n "${1:-}" ] && [ "${1#-}" = "$1" ]; then
  name=$1
  shift
  exec node node_modules/tsx/dist/cli.mjs "tests/bench/$name.ts" "$@"
fi

exec node node_modules/tsx/dist/cli.mjs tests/bench/run.ts "$@"
