"""The roll's touch gestures (piano_roll/touch_gestures.js) pass their own ``bun test`` suite.

Tap, drag, long press, pinch and pan are decided from finger positions and a timer alone, so
they are a pure JavaScript module tested under bun (the runtime Reflex builds with); the
browser journeys in tests/e2e/test_editor_touch.py drive them with real touch events.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
BUN = REPO_ROOT / "tools/node_modules/bun/bin/bun.exe"
SUITE = REPO_ROOT / "keycraft/components/piano_roll/touch_gestures.test.js"


def test_touch_gesture_suite_passes_under_bun() -> None:
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
    assert passed and int(passed.group(1)) >= 9, report
    assert re.search(r"\b0 fail", report), report
