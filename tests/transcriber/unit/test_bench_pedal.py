"""The pedal bench's bound: every press moved by one shift, never before the last lift."""

from __future__ import annotations

import pytest

from transcriber.bench_pedal import PedalRow, best_shift, shifted_presses
from transcriber.domain import PedalEvent
from transcriber.evaluation.pieces import ScorePedal
from transcriber.evaluation.scoring import PedalScores


def _row(written: list[tuple[float, float]], found: list[tuple[float, float]]) -> PedalRow:
    return PedalRow(
        piece="piece",
        pedals=len(written),
        found=len(found),
        pedal=PedalScores(0.0, 0.0),
        note_onset_f1=1.0,
        press_lag_s=0.0,
        press_errors_s=(),
        written=tuple(ScorePedal(a, b) for a, b in written),
        found_spans=tuple(PedalEvent(a, b) for a, b in found),
    )


def test_a_shift_moves_presses_earlier_but_not_before_the_last_lift_or_the_start() -> None:
    spans = (PedalEvent(0.0, 1.0), PedalEvent(1.05, 2.0), PedalEvent(2.5, 3.0))
    shifted = shifted_presses(spans, 0.1)
    assert [p.start_s for p in shifted] == [0.0, 1.0, pytest.approx(2.4)]
    assert [p.end_s for p in shifted] == [1.0, 2.0, 3.0]


def test_the_best_shift_is_the_one_that_lands_the_late_presses() -> None:
    written = [(0.5, 2.0), (2.2, 4.0), (4.2, 6.0)]
    late = [(0.62, 2.0), (2.32, 4.0), (4.32, 6.0)]  # every press 120 ms late
    shift, f1 = best_shift([_row(written, late)])
    assert f1 == 1.0
    # mir_eval takes a press within 50 ms (edges included): 70-170 ms all land them, and
    # the smallest shift is the one reported.
    assert shift == pytest.approx(0.07)
    assert best_shift([_row(written, written)]) == (0.0, 1.0)
