#!/usr/bin/env bash
# The fast static checks: lint, format, types and the import contracts (pyproject.toml).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

log "ruff check"
ruff check .
log "ruff format --check"
ruff format --check .
log "mypy"
mypy keycraft transcriber tests bench infra rxconfig.py
log "import contracts"
lint-imports --no-cache
