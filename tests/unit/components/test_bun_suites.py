"""The roll's and recorder's pure JavaScript modules pass their own ``bun test`` suites.

What headless Chromium cannot drive well (a MIDI device, many key and touch sequences, pedal
span edits) lives in pure modules tested under bun, the runtime Reflex builds with; the
browser journeys drive them through the page.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
BUN = REPO_ROOT / "tools/node_modules/bun/bin/bun.exe"
COMPONENTS = REPO_ROOT / "keycraft/components"

SUITES = {
    # suite → fewest tests it must report passing (a suite that stops loading fails here)
    "recorder/midi_take.test.js": 5,
    "piano_roll/roll_keys.test.js": 10,
    "piano_roll/touch_gestures.test.js": 9,
    "piano_roll/pedal_lane.test.js": 10,
    "piano_roll/note_names.test.js": 10,
    "piano_roll/grand_piano.test.js": 15,
    "piano_roll/timing.test.js": 10,
    "piano_roll/geometry.test.js": 10,
    "piano_roll/velocity_lane.test.js": 7,
    "piano_roll/scrollbars.test.js": 8,
    "piano_roll/note_drags.test.js": 7,
    "piano_roll/playback_schedule.test.js": 11,
    "piano_roll/loop_region.test.js": 9,
    "piano_roll/downbeat_handle.test.js": 4,
    "piano_roll/pointer_gestures.test.js": 8,
    "piano_roll/roll_state.test.js": 12,
    "piano_roll/roll_drawing.test.js": 10,
    "piano_roll/roll_keyboard.test.js": 4,
}


@pytest.mark.parametrize(("suite", "at_least"), SUITES.items(), ids=list(SUITES))
def test_suite_passes_under_bun(suite: str, at_least: int) -> None:
    completed = subprocess.run(
        [str(BUN), "test", str(COMPONENTS / suite)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO_ROOT,
    )
    report = completed.stdout + completed.stderr
    assert completed.returncode == 0, report
    passed = re.search(r"(\d+) pass", report)
    assert passed and int(passed.group(1)) >= at_least, report
    assert re.search(r"\b0 fail", report), report
