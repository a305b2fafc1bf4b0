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
    # transition[j, k]: cost of going from period k (into the previous beat) to period j.
    diff = np.abs(np.arange(count)[:, None] - np.arange(count)[None, :])
    transition = np.where(diff <= MAX_STEPS_PER_BEAT, -CHANGE_COST * diff, -np.inf)

    frames = len(onset_envelope)
    score = np.full((frames, count), -np.inf)
    back = np.full((frames, count), -1, dtype=np.int32)
    start_until = first + periods  # the first beat falls within a period of the first onset
    for t in range(first, min(frames, last + 2)):
        prev = t - periods
        valid = prev >= first
        best = np.full(count, -np.inf)
        arg = np.full(count, -1, dtype=np.int32)
        if valid.any():
            candidates = score[prev[valid]] + transition[valid]
            arg[valid] = np.argmax(candidates, axis=1)
            best[valid] = candidates[np.arange(int(valid.sum())), arg[valid]]
        can_start = (t <= start_until) & (best < 0.0)
        best = np.where(can_start, 0.0, best)
        arg = np.where(can_start, -1, arg)
        score[t] = gain[t] - drift + best
        back[t] = arg
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
