#!/usr/bin/env bash
# Installs what KeyCraft needs to run: a virtualenv with pinned requirements, and bun.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

python_bin="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [ ! -x "$PY" ]; then
  log "Creating virtualenv with $python_bin"
  "$python_bin" -m venv "$VENV"
fi

install_python() {
  log "Installing Python requirements (pinned)"
  "$PY" -m pip install --quiet --upgrade pip==24.3.1
  "$PY" -m pip install --quiet -r requirements.txt -c requirements.lock
  # These packages declare dependencies we must not pull (TensorFlow, a second torch).
  "$PY" -m pip install --quiet --no-deps -r transcriber/requirements-nodeps.txt
}
stamp_run "$VENV/.stamp-run" \
  "$(inputs_hash requirements.txt requirements.lock transcriber/requirements.txt transcriber/requirements-nodeps.txt)" \
  install_python

install_bun() {
  log "Installing bun from the npm registry"
  npm ci --prefix tools --no-audit --no-fund --loglevel=error
}
stamp_run "$ROOT/tools/node_modules/.stamp" "$(inputs_hash tools/package-lock.json)" install_bun
