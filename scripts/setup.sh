#!/usr/bin/env bash
# Sets fairio up on a fresh machine: Node packages (from the lock file), the
# TypeScript build, and the Python reference tools used by tests (.venv).
# Safe to run again: every step is skipped when already up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing Node packages (npm ci)"
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
fi

log "building TypeScript"
npx tsc -b
# The `fairio` executable, reachable as `npx fairio` (npm links workspace bins only when they exist at install).
chmod +x cli/dist/bin.js
ln -sf ../../cli/dist/bin.js node_modules/.bin/fairio

if [ "${FAIRIO_SETUP_PYTHON:-1}" = "1" ]; then
  stamp=.venv/.requirements-dev.txt
  if [ ! -f "$stamp" ] || ! cmp -s requirements-dev.txt "$stamp"; then
    log "installing Python reference tools into .venv"
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
    cp requirements-dev.txt "$stamp"
  fi
fi
log "ready"
