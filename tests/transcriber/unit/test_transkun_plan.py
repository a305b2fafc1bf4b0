"""Segment plans (transkun's own layout and ours) and the interval scores built in place."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from transcriber.models.transkun.network_patches import PITCH_BLOCK, interval_scores
from transcriber.models.transkun.segments import (
    FAST,
    SHIPPED,
    Layout,
    cut_segment,
    plan_segments,
)

RATE_HZ = 44100
HOP = 1024


def _plan(seconds: float, layout: Layout) -> tuple[int, ...]:
    plan = plan_segments(round(seconds * RATE_HZ), RATE_HZ, HOP, 8.0, 16.0, layout)
    return plan.starts


def test_shipped_layout_is_transkuns() -> None:
    """8 s of lead at both ends, a segment every 8 s while one starts inside the signal."""
    plan = plan_segments(3 * RATE_HZ, RATE_HZ, HOP, 8.0, 16.0, SHIPPED)
    assert plan.lead_s == 8.0
    assert plan.segment_samples == 16 * RATE_HZ
    assert len(plan.starts) == 3
    assert plan == plan_segments(3 * RATE_HZ, RATE_HZ, HOP, 8.0, 16.0)


def test_a_short_clip_is_one_full_segment() -> None:
    plan = plan_segments(3 * RATE_HZ, RATE_HZ, HOP, 8.0, 16.0, FAST)
    assert plan.starts == (0,)
    assert plan.segment_samples == 16 * RATE_HZ
    assert plan.lead_samples == 8 * RATE_HZ
    assert len(_plan(8.0, FAST)) == 1
    assert len(_plan(8.1, FAST)) == 3  # transkun: 4


def test_segments_stop_once_one_reaches_the_end() -> None:
    """22 s: transkun runs five segments, the last all silence; four reach the end."""
    assert len(_plan(22.0, SHIPPED)) == 5
    fast = _plan(22.0, FAST)
    assert len(fast) == 4
    padded = round(22.0 * RATE_HZ) + 2 * 8 * RATE_HZ
    assert fast[-1] + 16 * RATE_HZ >= padded > fast[-2] + 16 * RATE_HZ
    # The segments kept are transkun's own.
    assert fast == _plan(22.0, SHIPPED)[: len(fast)]
    assert len(_plan(15.3, FAST)) == 3
    assert len(_plan(30 * 60, FAST)) == len(_plan(30 * 60, SHIPPED)) - 1


def test_each_segment_is_cut_as_from_the_padded_recording() -> None:
    """The recording is never padded whole: each segment gets its silence as it is cut."""
    rate_hz, hop = 100, 4  # a small rate keeps the signals short; the plan scales
    for n_samples in (250, 800, 1603, 3001):
        signal = torch.randn(1, n_samples)
        for layout in (SHIPPED, FAST):
            plan = plan_segments(n_samples, rate_hz, hop, 8.0, 16.0, layout)
            padded = F.pad(signal, (plan.lead_samples, plan.lead_samples))
            for start in plan.starts:
                expected = padded[:, start : start + plan.segment_samples]
                expected = F.pad(expected, (0, plan.segment_samples - expected.shape[-1]))
                assert torch.equal(cut_segment(signal, plan, start), expected), (n_samples, start)


def test_scores_built_in_place_are_transkuns() -> None:
    """The same scores, in a layout the decoder reads without copying them again."""
    from transkun.LayersTransformer import ScaledInnerProductIntervalScorer

    torch.manual_seed(0)
    scorer = ScaledInnerProductIntervalScorer(16, expansionFactor=2).eval()
    ctx = torch.randn(1, 2 * PITCH_BLOCK + 5, 40, 16)  # blocks of tracks and a short one
    with torch.inference_mode():
        theirs = scorer(ctx)
        ours = interval_scores(scorer, ctx)
        from_bf16 = interval_scores(scorer, ctx.bfloat16())
    for a, b in zip(ours, theirs, strict=True):
        assert a.shape == b.shape
        assert a.dtype == b.dtype
        torch.testing.assert_close(a, b)
    # transkun's decoder takes the begin-major order with ``transpose(0, 1).contiguous()``.
    assert ours[0].transpose(0, 1).is_contiguous()
    assert from_bf16[0].dtype == torch.float32
