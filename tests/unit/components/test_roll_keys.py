"""The roll's keyboard editing logic (piano_roll/roll_keys.js) passes its own ``bun test`` suite.

The key map, cursor, note walking, announcements and note colours are a pure JavaScript
module tested under bun (the runtime Reflex builds with); the editor journeys drive them.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
BUN = REPO_ROOT / "tools/node_modules/bun/bin/bun.exe"
SUITE = REPO_ROOT / "keycraft/components/piano_roll/roll_keys.test.js"


def test_roll_keys_suite_passes_under_bun() -> None:
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
