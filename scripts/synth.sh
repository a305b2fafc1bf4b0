#!/usr/bin/env bash
# Synthesizes the AWS CDK app offline into infra/cdk.out/ (JSON CloudFormation), then lints it.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

inputs=(infra/requirements.txt)
constraints=()
if [ -f requirements.lock ]; then inputs+=(requirements.lock); constraints=(-c requirements.lock); fi
install_infra() {
  log "Installing the CDK libraries (pinned)"
  "$PY" -m pip install --quiet -r infra/requirements.txt "${constraints[@]}"
}
stamp_run "$VENV/.stamp-infra" "$(inputs_hash "${inputs[@]}")" install_infra

# The CDK libraries run on Node (jsii); Node 20 works but would print a banner each start.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
log "Synthesizing the KeyCraft stack into infra/cdk.out/"
rm -rf infra/cdk.out
templates=$("$PY" -m infra.app)
echo "$templates"
log "cfn-lint"
# shellcheck disable=SC2086
cfn-lint $templates
