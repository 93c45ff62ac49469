#!/usr/bin/env bash
# Sets fairio up, then runs every test: lint, type check (the build), the
# vitest suites (unit, reference comparisons, conformance, end to end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "[test] lint" >&2
npx eslint .
echo "[test] vitest" >&2
npx vitest run
