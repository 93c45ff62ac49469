#!/usr/bin/env bash
# Runs every notebook in notebooks/ top to bottom (the .venv's kernel, this checkout's fairio) and refreshes the
# picture of each one's key output in docs/notebooks/ (shown by docs/notebooks.md). Their files go to
# out/notebooks/<name>/. `npm test` runs the same notebooks (tests/notebooks), without touching docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export FAIRIO_NOTEBOOK_OUT=$PWD/out/notebooks
mkdir -p "$FAIRIO_NOTEBOOK_OUT" docs/notebooks
for notebook in notebooks/*.ipynb; do
  name=$(basename "$notebook" .ipynb)
  .venv/bin/python notebooks/execute.py "$notebook" --figure "docs/notebooks/$name.png"
done
