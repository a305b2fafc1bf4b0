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

# The editor's grand piano: pinned npm packages, copied into the gitignored assets/piano/ that
# Reflex serves at /piano/ (v2/ v6/ v10/ v14/ hold a velocity layer each, release/ the key-release
# noises). File names lose their "#" (D#4 -> Ds4), which URLs would need escaped.
GRAND_LAYERS=(2 6 10 14)
install_grand_piano() {
  log "Installing the Salamander grand piano samples the editor plays (npm, CC-BY 3.0)"
  npm ci --prefix tools/grand-piano --no-audit --no-fund --loglevel=error
  local packages="tools/grand-piano/node_modules/@audio-samples" target="assets/piano"
  rm -rf "$target"
  for layer in "${GRAND_LAYERS[@]}"; do
    mkdir -p "$target/v$layer"
    for file in "$packages/piano-mp3-velocity$layer/audio/"*.mp3; do
      name="$(basename "$file")"
      cp "$file" "$target/v$layer/${name//#/s}"
    done
  done
  mkdir -p "$target/release"
  cp "$packages/piano-mp3-release/audio/"*.mp3 "$target/release/"
}
# A deleted assets/piano/ is copied again even when the lock did not change.
[ -f assets/piano/release/rel88.mp3 ] || rm -f "$ROOT/tools/grand-piano/node_modules/.stamp"
stamp_run "$ROOT/tools/grand-piano/node_modules/.stamp" \
  "$(inputs_hash tools/grand-piano/package-lock.json scripts/setup.sh)" install_grand_piano
