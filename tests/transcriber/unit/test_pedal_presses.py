"""Sustain-pedal presses placed where transkun's belief in them begins."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from transcriber.domain import PedalEvent
from transcriber.models.transkun.pedal import (
    PressBelief,
    begin_marginals,
    begin_marginals_by_autograd,
    earliest_presses,
)

FRAME_S = 0.01


def _belief(n_frames: int, spread: dict[int, float]) -> np.ndarray:
    belief = np.zeros(n_frames)
    for frame, value in spread.items():
        belief[frame] = value
    return belief


def test_a_press_heard_late_moves_to_where_its_belief_begins() -> None:
    # Belief spread over frames 100-119 (1.00-1.19 s); the decoder picked 1.15 s.
    belief = _belief(300, {f: 0.05 for f in range(100, 120)})
    spans = [PedalEvent(1.15, 2.5)]
    moved = earliest_presses(spans, belief, FRAME_S, quantile=0.2)
    assert moved[0].start_s == pytest.approx(1.03)  # 20% of the belief lies before it
    assert moved[0].end_s == 2.5  # lifts are kept


def test_a_press_never_moves_before_the_previous_lift() -> None:
    belief = _belief(300, {f: 0.1 for f in range(90, 110)})
    spans = [PedalEvent(0.2, 1.0), PedalEvent(1.05, 2.0)]
    moved = earliest_presses(spans, belief, FRAME_S, quantile=0.0, look_back_s=0.3)
    assert moved[1].start_s >= 1.0


def test_a_press_without_belief_around_it_is_kept() -> None:
    spans = [PedalEvent(1.0, 2.0)]
    assert earliest_presses(spans, np.zeros(300), FRAME_S) == spans


def test_the_belief_keeps_each_frame_from_the_segment_it_is_most_central_in() -> None:
    belief = PressBelief(FRAME_S)
    belief.add(-0.05, np.full(20, 1.0))  # frames -5..14, centre at frame 4-5
    belief.add(0.10, np.full(20, 2.0))  # frames 10..29, centre at frame 19-20
    assert belief.belief[4] == 1.0
    assert belief.belief[14] == 2.0  # last frame of the first segment, central in the second
    assert len(belief.belief) == 30


def test_begin_marginals_are_probabilities_of_a_span_starting_at_each_frame() -> None:
    frames = 6
    score = torch.full((frames, frames), -20.0)
    score[4, 2] = 20.0  # [end, begin]: a span from frame 2 to frame 4 is near certain
    noise = torch.zeros(frames - 1)
    with torch.inference_mode():  # as during transcription
        begins = begin_marginals(score, noise)
    assert begins.shape == (frames,)
    assert begins[2] == pytest.approx(1.0, abs=1e-3)
    assert begins.sum() == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_the_direct_pass_gives_the_gradient_of_the_log_partition(dtype: torch.dtype) -> None:
    # Scores spread like the network's: mostly unlikely spans, some likely, and one-frame
    # spans and gaps of either sign, so every term of the semi-CRF counts.
    rng = np.random.default_rng(7)
    frames = 60
    score = torch.from_numpy(rng.normal(-3.0, 4.0, (frames, frames))).to(dtype)
    noise = torch.from_numpy(rng.normal(0.0, 1.0, frames - 1)).to(dtype)
    with torch.inference_mode():
        direct = begin_marginals(score, noise)
        reference = begin_marginals_by_autograd(score, noise)
    assert reference.max() > 0.3 and np.diagonal(score.numpy()).max() > 3.0
    np.testing.assert_allclose(direct, reference, rtol=0.0, atol=1e-12)


def test_a_span_begun_by_the_recordings_start_moves_to_the_press_belief_after_it() -> None:
    # The start carries a little belief (sound begins there); the press is heard at 0.5-0.59 s.
    belief = _belief(300, {0: 0.2, **{f: 0.08 for f in range(50, 60)}})
    spans = [PedalEvent(0.0, 2.0), PedalEvent(2.2, 2.8)]
    moved = earliest_presses(spans, belief, FRAME_S, quantile=0.2)
    assert 0.5 <= moved[0].start_s <= 0.53  # a fifth into the belief heard at 0.5-0.59 s
    assert moved[0].end_s == 2.0


def test_a_pedal_already_down_when_the_recording_starts_stays_at_the_start() -> None:
    belief = _belief(300, {0: 0.9, 120: 0.05})
    spans = [PedalEvent(0.0, 2.0)]
    assert earliest_presses(spans, belief, FRAME_S)[0].start_s == 0.0
