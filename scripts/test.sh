#!/usr/bin/env bash
# Runs every check: lint, format, types, then all pytest tiers. Non-zero on any failure.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

log "ruff check"
ruff check .
log "ruff format --check"
ruff format --check .
log "mypy"
mypy keycraft transcriber tests bench infra rxconfig.py
log "pytest (unit, contract, integration, transcriber, e2e)"
pytest "$@"
