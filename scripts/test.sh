#!/usr/bin/env bash
# Runs every check: lint, format, types, import contracts, then all pytest tiers. Non-zero on any failure.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

bash scripts/lint.sh
log "pytest (unit, contract, integration, transcriber, e2e)"
# The slowest tests are listed at the end, to keep the suite well under half an hour.
pytest --durations=25 "$@"
