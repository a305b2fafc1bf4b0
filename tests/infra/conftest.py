"""Synthesizes the CDK app once per test run; tests read the template from that assembly."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Node 20 still runs the CDK libraries; without this, jsii prints a banner on every start.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


@dataclass(frozen=True)
class Synthesized:
    """The stack's template as written to disk, and as a ``Template`` for assertions."""

    path: Path
    body: dict[str, Any]


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    from infra.app import STACK_NAME, build_app

    outdir = tmp_path_factory.mktemp("cdk.out")
    assembly = build_app(outdir=outdir).synth()
    path = Path(assembly.directory) / assembly.get_stack_by_name(STACK_NAME).template_file
    return Synthesized(path=path, body=json.loads(path.read_text()))
