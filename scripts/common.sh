#!/usr/bin/env bash
# Shared paths and environment for KeyCraft's scripts; sourced, never run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
export REFLEX_BUN_PATH="$ROOT/tools/node_modules/bun/bin/bun.exe"
export REFLEX_DIR="$ROOT/.tools/reflex"
export REFLEX_CHECK_LATEST_VERSION=0
export REFLEX_TELEMETRY_ENABLED=false
# Naming npm's configured registry explicitly skips Reflex's probe of mirror registries.
export NPM_CONFIG_REGISTRY="${NPM_CONFIG_REGISTRY:-$(npm config get registry)}"
export BUN_INSTALL_CACHE_DIR="$ROOT/.tools/bun-cache"
export PATH="$VENV/bin:$PATH"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

# Print a hash of the given files; used to skip installs whose inputs did not change.
inputs_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }

# Run "$@" unless the stamp file already records this hash of the inputs.
#   stamp_run STAMP_FILE HASH COMMAND...
stamp_run() {
  local stamp="$1" hash="$2"; shift 2
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then return 0; fi
  "$@"
  mkdir -p "$(dirname "$stamp")"
  echo "$hash" > "$stamp"
}
