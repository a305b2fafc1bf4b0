"""The piano roll's tempo and metre maths (timing.js) agrees with services/notes/timing.py.

timing.js runs under bun (the JavaScript runtime Reflex builds with) on random maps made in
the same run; every answer must match the Python converters it mirrors.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest

from keycraft.services.domain import TempoChange, TimeSignatureChange
from keycraft.services.notes.loop import snap_to_beat
from keycraft.services.notes.timing import (
    bar_lines,
    bar_start_tick,
    beat_ticks,
    seconds_to_tick,
    tick_to_seconds,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
TIMING_JS = REPO_ROOT / "keycraft/components/piano_roll/timing.js"
BUN = REPO_ROOT / "tools/node_modules/bun/bin/bun.exe"

HARNESS = """
const out = cases.map((c) => {
  const tempo = parseTempoMap(JSON.stringify(c.tempo), 120);
  const meter = parseTimeSignatureMap(JSON.stringify(c.meter), 4, 4);
  const slowed = parseTempoMap(JSON.stringify(c.tempo), 120, c.speed);
  return {
    seconds: c.ticks.map((t) => tickToSeconds(t, tempo)),
    ticks: c.seconds.map((s) => secondsToTick(s, tempo)),
    bars: barLinesBetween(meter, 0, c.end_tick).map((b) => [b.bar, b.tick]),
    beats: beatsBetween(meter, c.beat_from, c.end_tick).map((b) => b.tick),
    bar_starts: c.bar_numbers.map((b) => barStartTick(b, meter)),
    beat_snaps: c.ticks.map((t) => nearestBeatTick(t, meter)),
    slowed_seconds: c.ticks.map((t) => tickToSeconds(t, slowed)),
  };
});
console.log(JSON.stringify(out));
"""


def _run_js(cases: list[dict[str, Any]], tmp_dir: Path) -> list[dict[str, Any]]:
    """Answer every case with timing.js, the cases handed over as a JSON file."""
    cases_file = tmp_dir / "cases.json"
    cases_file.write_text(json.dumps(cases))
    script = tmp_dir / "answer.mjs"
    script.write_text(
        f"import {{ {', '.join(JS_NAMES)} }} from {json.dumps(TIMING_JS.as_uri())};\n"
        f"const cases = await Bun.file({json.dumps(str(cases_file))}).json();\n{HARNESS}"
    )
    completed = subprocess.run(
        [str(BUN), "run", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=REPO_ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    result: list[dict[str, Any]] = json.loads(completed.stdout)
    return result


JS_NAMES = (
    "parseTempoMap",
    "parseTimeSignatureMap",
    "tickToSeconds",
    "secondsToTick",
    "barLinesBetween",
    "beatsBetween",
    "barStartTick",
    "nearestBeatTick",
)


def _random_case(rng: random.Random) -> dict[str, Any]:
    tempo_ticks = sorted(rng.sample(range(1, 40_000), rng.randint(0, 8)))
    tempo = [[t, round(rng.uniform(20, 400), 2)] for t in [0, *tempo_ticks]]
    meter_ticks = sorted(rng.sample(range(1, 40_000), rng.randint(0, 5)))
    meter = [
        [t, rng.choice((2, 3, 4, 5, 6, 7, 9, 12)), rng.choice((2, 4, 8, 16))]
        for t in [0, *meter_ticks]
    ]
    return {
        "tempo": tempo,
        "meter": meter,
        "ticks": [rng.randint(0, 50_000) for _ in range(10)] + tempo_ticks,
        "seconds": [rng.uniform(0, 120) for _ in range(10)],
        "end_tick": 50_000,
        "beat_from": rng.randint(0, 20_000),
        "bar_numbers": [rng.randint(1, 60) for _ in range(5)],
        "speed": rng.choice((0.5, 0.6, 0.75, 0.9, 1.0)),
    }


@pytest.fixture(scope="module")
def cases_and_answers(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(1126)
    cases = [_random_case(rng) for _ in range(150)]
    return cases, _run_js(cases, tmp_path_factory.mktemp("timing_js"))


def test_ticks_and_seconds_match_python(
    cases_and_answers: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    for case, answer in zip(*cases_and_answers, strict=True):
        tempo_map = tuple(TempoChange(t, b) for t, b in case["tempo"])
        for tick, js_s in zip(case["ticks"], answer["seconds"], strict=True):
            assert js_s == pytest.approx(tick_to_seconds(tick, tempo_map), rel=1e-12, abs=1e-12)
        for seconds, js_tick in zip(case["seconds"], answer["ticks"], strict=True):
            assert js_tick == pytest.approx(seconds_to_tick(seconds, tempo_map), rel=1e-9)


def test_bars_beats_and_bar_starts_match_python(
    cases_and_answers: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    for case, answer in zip(*cases_and_answers, strict=True):
        meter = tuple(TimeSignatureChange(t, n, d) for t, n, d in case["meter"])
        end = case["end_tick"]
        assert answer["bars"] == [[b.bar_number, b.tick] for b in bar_lines(meter, end)]
        assert answer["beats"] == beat_ticks(meter, case["beat_from"], end)
        assert answer["bar_starts"] == [bar_start_tick(b, meter) for b in case["bar_numbers"]]


def test_practice_speed_stretches_every_tempo_alike(
    cases_and_answers: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """At 50 % every tick is heard twice as late: notes, loop points, clicks and playhead."""
    for case, answer in zip(*cases_and_answers, strict=True):
        tempo_map = tuple(TempoChange(t, b) for t, b in case["tempo"])
        for tick, js_s in zip(case["ticks"], answer["slowed_seconds"], strict=True):
            expected_s = tick_to_seconds(tick, tempo_map) / case["speed"]
            assert js_s == pytest.approx(expected_s, rel=1e-9, abs=1e-9)


def test_loops_snap_to_the_beats_python_counts(
    cases_and_answers: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    for case, answer in zip(*cases_and_answers, strict=True):
        meter = tuple(TimeSignatureChange(t, n, d) for t, n, d in case["meter"])
        assert answer["beat_snaps"] == [snap_to_beat(t, meter) for t in case["ticks"]]
