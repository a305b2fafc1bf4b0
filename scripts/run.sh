#!/usr/bin/env bash
# Serves KeyCraft on the embedded defaults: migrates, starts the transcriber, the queue
# worker and the app.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

MODE="${1:-prod}"
PORT="${PORT:-3000}"
# Links in emails and the backend's allowed browser origins follow the port actually served.
# (Only when neither the environment nor .env sets APP_URL.)
if [ "$MODE" != "dev" ] && [ -z "${APP_URL:-}" ] && ! grep -qs '^APP_URL=' .env; then
  export APP_URL="http://localhost:$PORT"
fi
export TRANSCRIBER_PORT="${TRANSCRIBER_PORT:-8001}"
export TRANSCRIBER_URL="${TRANSCRIBER_URL:-http://127.0.0.1:$TRANSCRIBER_PORT}"

log "Preparing the database"
"$PY" -m keycraft.manage migrate

pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  log "KeyCraft stopped"
}
trap stop_all INT TERM EXIT

log "Starting the transcriber on 127.0.0.1:$TRANSCRIBER_PORT"
setsid gunicorn -c transcriber/gunicorn.conf.py 'transcriber:create_app()' &
pids+=($!)

# Transcription jobs run here, not in the web process: on Huey's SQLite queue by default.
log "Starting the transcription queue worker"
setsid "$PY" -m keycraft.worker &
pids+=($!)

if [ "$MODE" = "dev" ]; then
  log "Starting KeyCraft in dev mode (hot reload): http://localhost:3000"
  # The dev frontend (:3000) and backend (:8000) are different origins: uploads carry no
  # session cookie there, so the upload guard only bounds their size.
  export UPLOAD_SESSION_REQUIRED="${UPLOAD_SESSION_REQUIRED:-false}"
  setsid reflex run --env dev &
  pids+=($!)
else
  log "Building and starting KeyCraft (production mode)"
  setsid reflex run --env prod --single-port --frontend-port "$PORT" --backend-port "$PORT" &
  pids+=($!)
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/health" 2>/dev/null; then
      log "KeyCraft is running at http://localhost:$PORT  (Ctrl-C stops it)"
      break
    fi
    sleep 1
  done
fi

# Whichever child exits first (or Ctrl-C) brings the other down through the trap.
wait -n "${pids[@]}"
