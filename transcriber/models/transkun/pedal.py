"""Place sustain-pedal presses where the network's evidence for them begins.

Transkun hears a pedal lift sharply (the dampers stop everything at once), but a press
only as the open strings' bloom grows, so its belief about where a span begins is
spread over the 100-300 ms after the real press, and its best path often picks a frame
in the middle of that spread. Nothing can be heard of a press before it happens, so the
spread lies after the press: we move each press to where the press belief, summed from
the left over a window around the decoded press, first reaches ``PRESS_QUANTILE``.

A span the decoder begins at the very start of the recording is a special case: the silence
before a recording is padding, so the sound starting there reads as a press. When the belief
over the rest of such a span outweighs the belief at the start, its press is placed by the
same rule over the span's belief after the start.

The belief is the semi-CRF's marginal probability that a pedal span begins at a frame,
computed from the same interval scores the decoder uses. The settings were chosen on
``pedalled_tuning_set`` pieces, not on the pieces the bench reports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch

from transcriber.domain import PedalEvent

PRESS_QUANTILE = 0.2
"""Share of the press belief that must lie before the press we report."""
LOOK_BACK_S = 0.3
"""How far before the decoded press the belief is gathered (never before the last lift)."""
LOOK_AHEAD_S = 0.1
"""How far after the decoded press the belief is gathered."""
MIN_BELIEF = 0.05
"""Below this much belief in the window the decoded press is kept as it is."""
START_EDGE_S = 0.1
"""A span decoded from before this time is taken as begun by the recording's start."""


def begin_marginals(score: torch.Tensor, noise: torch.Tensor) -> np.ndarray:
    """Probability that a span of this track begins at each frame.

    One forward and one backward pass over the frames (inside-outside), in float64: the
    same values as the log-partition's gradient (``begin_marginals_by_autograd``) at a few
    hundredths of a second for a 16 s segment instead of tens of seconds.

    Args:
        score: Interval scores of one track, shape ``(frames, frames)`` indexed
            ``[end, begin]`` as transkun's semi-CRF takes them.
        noise: Its no-span scores between neighbouring frames, shape ``(frames - 1,)``.

    Returns:
        One probability per frame (float64).
    """
    s = score.detach().to(torch.float64).cpu().numpy()
    n = noise.detach().to(torch.float64).cpu().numpy()
    diag = np.diagonal(s).copy()
    # transkun's semi-CRF labels a segment as a chain of frames from the first to the last,
    # each step a gap to the next frame or a span to a later one; every frame on the chain
    # may also hold a one-frame span, which adds softplus(its own score) to the chain.
    own = np.logaddexp(0.0, diag)
    before = _chains_into(s, n, own)
    reversed_score = np.ascontiguousarray(s[::-1, ::-1].T)
    after = _chains_into(reversed_score, n[::-1].copy(), own[::-1].copy())[::-1]
    log_z = before[-1]
    frames = len(own)
    spans = before[np.newaxis, :] + after[:, np.newaxis] + s - log_z  # [end, begin]
    spans[~np.tri(frames, k=-1, dtype=bool)] = -np.inf  # a span ends after it begins
    begins = np.exp(spans).sum(axis=0)
    # A one-frame span at f: the chain reaches f, times sigmoid(f's own score).
    begins += np.exp(before + after - 2.0 * own + diag - log_z)
    return np.asarray(begins, dtype=np.float64)


def _chains_into(score: np.ndarray, noise: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Log of the summed weights of every chain from the first frame that ends at each frame."""
    into = np.empty(len(own))
    into[0] = own[0]
    for frame in range(1, len(own)):
        spans = into[:frame] + score[frame, :frame]
        top = spans.max()
        by_span = top + math.log(float(np.exp(spans - top).sum()))
        by_gap = into[frame - 1] + noise[frame - 1]
        into[frame] = np.logaddexp(by_gap, by_span) + own[frame]
    return into


def begin_marginals_by_autograd(score: torch.Tensor, noise: torch.Tensor) -> np.ndarray:
    """``begin_marginals`` by its definition: autograd through transkun's log-partition.

    Tens of seconds per 16 s segment; kept as the reference that tests and the bench check
    the direct pass against.
    """
    from transkun.CRF.NeuralSemiCRFInterval import computeLogZ

    # The log-partition's gradient with respect to an interval's score is that interval's
    # marginal; summing over the ends gives the begin marginals. The caller may be in
    # inference mode, where autograd is off, so step out of it on copies.
    with torch.inference_mode(False), torch.enable_grad():
        s = score.detach().clone().to(torch.float64).unsqueeze(-1).requires_grad_(True)
        n = noise.detach().clone().to(torch.float64).unsqueeze(-1)
        computeLogZ(s, n).sum().backward()
        assert s.grad is not None
        return np.asarray(s.grad[..., 0].sum(dim=0).numpy(), dtype=np.float64)


class PressBelief:
    """The press belief over a whole recording, stitched from overlapping segments.

    Each frame keeps the value of the segment it is most central in, where the network
    has the most context on both sides.
    """

    def __init__(self, frame_s: float) -> None:
        """Start empty; ``frame_s`` is the network's hop in seconds."""
        self.frame_s = frame_s
        self.belief = np.zeros(0)
        self._margin = np.zeros(0, dtype=np.int64)

    def add(self, begin_s: float, belief: np.ndarray) -> None:
        """Add one segment's begin marginals; its first frame is at ``begin_s`` (may be < 0)."""
        count = len(belief)
        local = np.arange(count)
        frames = np.rint(begin_s / self.frame_s).astype(np.int64) + local
        margin = np.minimum(local, count - 1 - local)
        keep = frames >= 0
        frames, margin, values = frames[keep], margin[keep], belief[keep]
        if len(frames) == 0:
            return
        size = int(frames.max()) + 1
        if size > len(self.belief):
            grow = size - len(self.belief)
            self.belief = np.concatenate([self.belief, np.zeros(grow)])
            self._margin = np.concatenate([self._margin, np.full(grow, -1, dtype=np.int64)])
        better = margin > self._margin[frames]
        self.belief[frames[better]] = values[better]
        self._margin[frames[better]] = margin[better]


def earliest_presses(
    spans: Sequence[PedalEvent],
    belief: np.ndarray,
    frame_s: float,
    quantile: float = PRESS_QUANTILE,
    look_back_s: float = LOOK_BACK_S,
    look_ahead_s: float = LOOK_AHEAD_S,
) -> list[PedalEvent]:
    """Move each span's press to where the press belief around it reaches ``quantile``.

    Args:
        spans: Decoded pedal spans in time order (they do not overlap).
        belief: Probability of a press at each frame of the recording.
        frame_s: Frame hop in seconds.
        quantile: Share of the window's belief that lies before the reported press.
        look_back_s: The window starts this long before the decoded press, but never
            before the previous span's lift.
        look_ahead_s: The window ends this long after the decoded press.
            A span decoded from the recording's first ``START_EDGE_S`` whose belief after
            them outweighs the belief within them takes its window from there to its lift.

    Returns:
        The spans with their presses moved; lifts are kept.
    """
    out: list[PedalEvent] = []
    previous_end_s = 0.0
    for span in spans:
        first = int(np.ceil(max(previous_end_s, span.start_s - look_back_s) / frame_s))
        last = int((span.start_s + look_ahead_s) / frame_s) + 1
        if span.start_s < START_EDGE_S:
            edge = int(np.ceil(START_EDGE_S / frame_s))
            rest = int(span.end_s / frame_s)
            if belief[edge:rest].sum() > belief[:edge].sum():
                first, last = edge, rest
        window = belief[max(first, 0) : max(last, 0)]
        start_s = span.start_s
        total = float(window.sum())
        if total >= MIN_BELIEF:
            reached = int(np.argmax(np.cumsum(window) >= quantile * total))
            start_s = min((max(first, 0) + reached) * frame_s, span.end_s)
        out.append(PedalEvent(start_s=start_s, end_s=span.end_s))
        previous_end_s = span.end_s
    return out
