"""Beat times that follow a performance's tempo as it drifts, by dynamic programming.

Each state is (frame, period): a beat at that frame, reached from a beat one period before.
From one beat to the next the period may change by a few per cent (a ritardando, an
accelerando, rubato), at a cost growing with the change; a beat that lands on no onset
costs a little, one on a strong onset earns its strength. The best path from the first
onsets to the last is the beat sequence.
"""

from __future__ import annotations

import numpy as np

from transcriber.rhythm.onsets import FRAME_RATE_HZ

PERIOD_STEP = 1.02
"""Ratio between neighbouring periods of the grid (2 %)."""
PERIOD_RANGE = 1.7
"""Periods from the main period divided by this to multiplied by it."""
MAX_STEPS_PER_BEAT = 4
"""The period may change by up to four grid steps (~8 %) from one beat to the next."""
CHANGE_COST = 0.04
"""Cost of one grid step of tempo change between two beats, in onset strengths."""
DRIFT_COST = 0.6
"""Cost per beat of a period an octave from the main one (quadratic), keeping the level."""
EMPTY_BEAT_COST = 0.35
"""Cost of a beat where nothing is struck: a beat earns an onset's strength minus this."""


def track_beats(onset_envelope: np.ndarray, period_frames: float) -> list[int]:
    """The beat frames of the best path through the envelope, in order.

    Args:
        onset_envelope: Onset strength per frame (see `onsets.envelope`).
        period_frames: The main beat period (see `tempo.beat_period_frames`).

    Returns:
        Frames of the beats, from near the first onset to near the last.
    """
    active = np.flatnonzero(onset_envelope > 0.05 * float(onset_envelope.max(initial=0.0)))
    if len(active) == 0:
        return []
    first, last = int(active[0]), int(active[-1])
    steps = int(np.ceil(np.log(PERIOD_RANGE) / np.log(PERIOD_STEP)))
    ratios = PERIOD_STEP ** np.arange(-steps, steps + 1)
    periods = np.maximum(1, np.round(period_frames * ratios)).astype(int)
    count = len(periods)
    drift = DRIFT_COST * np.log2(ratios) ** 2
    gain = onset_envelope - EMPTY_BEAT_COST
    # Period j may follow period k for |j - k| <= MAX_STEPS_PER_BEAT, at a cost per step.
    band = np.arange(-MAX_STEPS_PER_BEAT, MAX_STEPS_PER_BEAT + 1)
    rows = np.arange(count)
    follows = rows[:, None] + band[None, :]
    inside = (follows >= 0) & (follows < count)
    follows = np.clip(follows, 0, count - 1)
    change = np.where(inside, -CHANGE_COST * np.abs(band)[None, :], -np.inf)

    frames = len(onset_envelope)
    end = min(frames, last + 2)
    # 30 minutes at 100 frames a second: ~40 MB of scores and ~20 MB of back-pointers.
    score = np.full((frames, count), -np.inf, dtype=np.float32)
    back = np.full((frames, count), -1, dtype=np.int16)
    start_until = first + periods  # the first beat falls within a period of the first onset
    # A beat's predecessor lies at least the shortest period back, so that many frames can be
    # scored at once from rows already final.
    block = int(periods.min())
    for t0 in range(first, end, block):
        ts = np.arange(t0, min(t0 + block, end))
        prev = ts[:, None] - periods[None, :]
        candidates = score[np.maximum(prev, 0)[:, :, None], follows[None, :, :]] + change
        candidates[prev < first] = -np.inf
        pick = np.argmax(candidates, axis=2)
        best = np.take_along_axis(candidates, pick[:, :, None], axis=2)[:, :, 0]
        arg = follows[rows[None, :], pick]
        can_start = (ts[:, None] <= start_until[None, :]) & (best < 0.0)
        score[ts] = gain[ts][:, None] - drift[None, :] + np.where(can_start, 0.0, best)
        back[ts] = np.where(can_start, -1, arg)
    return _best_path(score, back, periods, last)


def _best_path(score: np.ndarray, back: np.ndarray, periods: np.ndarray, last: int) -> list[int]:
    """Backtrack from the best final beat within a period of the last onset."""
    frames = score.shape[0]
    end_from = np.maximum(0, last - periods)
    best_value, best_state = -np.inf, (-1, -1)
    for j, start in enumerate(end_from):
        stop = min(frames, last + 2)
        window = score[start:stop, j]
        if len(window) == 0:
            continue
        k = int(np.argmax(window))
        if window[k] > best_value:
            best_value, best_state = float(window[k]), (start + k, j)
    t, j = best_state
    path: list[int] = []
    while t >= 0 and j >= 0:
        path.append(t)
        previous = int(back[t, j])
        if previous < 0:
            break
        t, j = t - int(periods[j]), previous
    return path[::-1]


def frames_to_seconds(frames: list[int]) -> list[float]:
    """Frame indices as seconds."""
    return [float(f) / FRAME_RATE_HZ for f in frames]
