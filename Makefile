# KeyCraft: `make run` serves the app, `make test` runs every check. See README.md.
.PHONY: run dev test lint unit setup test-setup lock synth

run: setup
	@bash scripts/run.sh prod

dev: setup
	@bash scripts/run.sh dev

test: setup test-setup
	@bash scripts/test.sh

# The fast loop: static checks and import contracts; the unit tier alone.
lint: setup test-setup
	@bash scripts/lint.sh

unit: setup test-setup
	@bash -c 'source scripts/common.sh && cd "$$ROOT" && pytest -q tests/unit'

setup:
	@bash scripts/setup.sh

test-setup:
	@bash scripts/test-setup.sh

# Re-pin every transitive Python dependency after changing a requirements file. The CPU
# build's "+cpu" label is dropped: `torch==2.13.0` resolves to the same wheel.
lock:
	@.venv/bin/pip freeze --exclude-editable | grep -v '^-e ' | sed 's/+cpu$$//' > requirements.lock

# Write the AWS CloudFormation template(s) to infra/cdk.out/ as JSON, offline, and lint them.
synth: setup
	@bash scripts/synth.sh
