#!/usr/bin/env bash
# fairio's benchmark against the Python reference (ome-zarr-py / zarr-python):
# TIFF -> OME-Zarr 0.5 conversion throughput and peak memory, and chunk-read
# throughput. Sets itself up first. Prints a table and writes
# tests/bench/results/latest.json; see docs/benchmarks.md.
#
#   npm run bench                          # >= 1 GiB input (default)
#   FAIRIO_BENCH_GIB=0.25 npm run bench    # quick run
#   FAIRIO_BENCH_PROFILE=1 npm run bench   # also profile one fairio conversion
#   npm run bench -- viewer                # the NGFF viewer's loading performance
#                                          # against ome-zarr.js (tests/bench/viewer.ts)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

if [ "${1:-}" = "viewer" ]; then
  shift
  exec node node_modules/tsx/dist/cli.mjs tests/bench/viewer.ts "$@"
fi

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

exec node node_modules/tsx/dist/cli.mjs tests/bench/run.ts "$@"
