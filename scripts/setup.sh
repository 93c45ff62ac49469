#!/usr/bin/env bash
# Sets fairio up on a fresh machine: Node packages (from the lock file), the
# TypeScript build, and the Python reference tools used by tests (.venv).
# Safe to run again: every step is skipped when already up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

# System packages: installed only when missing, and only as root with apt-get;
# elsewhere it says what to install, and the tests that need them skip (outside CI).
apt_updated=0
apt_install() { # apt_install "what for" PACKAGE...
  local why=$1
  shift
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
    log "not installing $* ($why): needs root and apt-get; install them by hand"
    return 0
  fi
  log "installing $* ($why)"
  if [ "$apt_updated" = "0" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# ImageJ macro node: ImageJ 1.x (Debian's imagej: /usr/share/java/ij.jar and a JRE), a virtual
# display for it (xvfb-run), and javac to compile its dialog watchdog (model-runner/src/imagej/watchdog.ts).
if [ ! -f /usr/share/java/ij.jar ] || ! command -v xvfb-run >/dev/null || ! command -v javac >/dev/null; then
  apt_install "ImageJ macro node" imagej xvfb xauth default-jdk-headless
fi

# JupyterLab extension tests: a real JupyterLab (in .venv) driven by headless Chromium (Debian's chromium).
if [ "${FAIRIO_SETUP_PYTHON:-1}" = "1" ] && ! command -v chromium >/dev/null; then
  apt_install "JupyterLab extension tests: headless Chromium" chromium
fi

# Pixel-classifier references: vigra is not on PyPI, so its tests run Debian's python3-vigra
# (with scikit-learn and h5py) in the system Python, /usr/bin/python3.
# Test references only: `npm start` (FAIRIO_SETUP_PYTHON=0) does not need them.
if [ "${FAIRIO_SETUP_PYTHON:-1}" = "1" ] && ! /usr/bin/python3 -c 'import vigra, sklearn, h5py' 2>/dev/null; then
  apt_install "pixel-classifier references: vigra, scikit-learn" python3-vigra python3-sklearn python3-h5py
fi

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
    # An existing .venv is kept (in a git worktree it is a link to the main checkout's, which venv refuses to touch).
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
    cp requirements-dev.txt "$stamp"
  fi
  # The JupyterLab extension's prebuilt labextension (webpack via @jupyterlab/builder against the .venv's
  # JupyterLab), rebuilt when any of its inputs is newer than the last build.
  labext=jupyterlab-ext/jupyterlab_fairio/labextension/package.json
  if [ ! -f "$labext" ] || [ ! -f jupyterlab-ext/jupyterlab_fairio/labextension/static/ort/ort-wasm-simd-threaded.wasm ] || [ -n "$(find jupyterlab-ext/lib jupyterlab-ext/style jupyterlab-ext/schema jupyterlab-ext/package.json jupyterlab-ext/scripts ngff/dist provenance/dist model-runner/dist -newer "$labext" -print -quit 2>/dev/null)" ]; then
    log "building the JupyterLab extension (jupyterlab-ext)"
    npm run --silent build:labextension -w jupyterlab-fairio >/dev/null
  fi
  # A real Galaxy for tests/galaxy (about 4 minutes the first time); FAIRIO_SETUP_GALAXY=0 skips it.
  stamp=.venv-galaxy/.requirements-galaxy.txt
  if [ "${FAIRIO_SETUP_GALAXY:-1}" = "1" ] && { [ ! -f "$stamp" ] || ! cmp -s requirements-galaxy.txt "$stamp"; }; then
    log "installing Galaxy (galaxy-app, galaxy-web-apps) into .venv-galaxy"
    python3 -m venv .venv-galaxy
    .venv-galaxy/bin/pip install --quiet --disable-pip-version-check -r requirements-galaxy.txt
    cp requirements-galaxy.txt "$stamp"
  fi
fi
log "ready"
