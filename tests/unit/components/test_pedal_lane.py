"""The roll's pedal lane logic (piano_roll/pedal_lane.js) passes its own ``bun test`` suite.

Spans to pixels, hit testing, span edits, the lane's words and drawing, and how long a note
rings under the pedal are a pure JavaScript module tested under bun (the runtime Reflex
builds with); the pedal journey in tests/e2e/test_editor_pedal.py drives them.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
BUN = REPO_ROOT / "tools/node_modules/bun/bin/bun.exe"
SUITE = REPO_ROOT / "keycraft/components/piano_roll/pedal_lane.test.js"


def test_pedal_lane_suite_passes_under_bun() -> None:
    completed = subprocess.run(
        [str(BUN), "test", str(SUITE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO_ROOT,
    )
    report = completed.stdout + completed.stderr
    assert completed.returncode == 0, report
    passed = re.search(r"(\d+) pass", report)
    assert passed and int(passed.group(1)) >= 10, report
    assert re.search(r"\b0 fail", report), report
