"""cfn-lint finds no errors or warnings in the synthesized template."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.infra.conftest import Synthesized


def test_cfn_lint_passes_on_the_synthesized_template(synthesized: Synthesized) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(synthesized.path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
