"""Metre and bar lines from accents: what is played on each beat, and how that repeats.

Bars open where bass notes fall, where the harmony changes, where long and loud notes are
struck. Each beat gets an accent from those cues; the metre is the period (2, 3 or 4 beats)
whose one phase stands out most from the others, and that phase holds the downbeats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from transcriber.domain import NoteEvent
from transcriber.rhythm.onsets import bass_weight

CANDIDATE_BEATS_PER_BAR = (2, 3, 4)
ON_BEAT_TOLERANCE_S = 0.07
"""A note belongs to a beat when struck this close to it (or a quarter beat, if less)."""
TWO_OVER_FOUR_RATIO = 0.9
"""A 4/4 reading whose third beat is this strong relative to its first is counted in 2/4."""
_WEIGHTS = {"bass": 1.0, "length": 1.0, "harmony": 1.0, "loudness": 0.5}


@dataclass(frozen=True)
class BarReading:
    """How the beats group into bars.

    Attributes:
        beats_per_bar: Beats in a bar.
        first_downbeat: Index of the first beat that opens a bar (0 to beats_per_bar - 1).
        contrast: How much the downbeats stand out (accent, in standard deviations).
    """

    beats_per_bar: int
    first_downbeat: int
    contrast: float


def beat_accents(beats_s: Sequence[float], notes: Sequence[NoteEvent]) -> np.ndarray:
    """One accent per beat: standardised cues of a bar's start, summed with weights."""
    times = np.asarray(beats_s, dtype=np.float64)
    count = len(times)
    if count < 2:
        return np.zeros(count)
    gaps = np.diff(times)
    periods = np.concatenate([gaps, gaps[-1:]])
    starts = np.array([n.start_s for n in notes])
    cues = {name: np.zeros(count) for name in _WEIGHTS}
    chroma = np.zeros((count, 12))
    for i, (t, period) in enumerate(zip(times, periods, strict=True)):
        tolerance = min(ON_BEAT_TOLERANCE_S, 0.25 * period)
        struck = np.flatnonzero(np.abs(starts - t) <= tolerance)
        for k in struck:
            note = notes[int(k)]
            loud = note.velocity / 127.0
            cues["bass"][i] = max(cues["bass"][i], loud * bass_weight(note.pitch_midi))
            held_beats = min(note.end_s - note.start_s, 2.0 * period) / period
            cues["length"][i] += loud * held_beats
            cues["loudness"][i] += loud
        span_end = t + period
        for note in notes:
            overlap = min(note.end_s, span_end) - max(note.start_s, t)
            if overlap > 0 and note.start_s < span_end:
                chroma[i, note.pitch_midi % 12] += overlap * (1.0 + bass_weight(note.pitch_midi))
    norms = np.linalg.norm(chroma, axis=1)
    unit = chroma / np.maximum(norms, 1e-9)[:, None]
    change = np.ones(count)
    change[1:] = 1.0 - np.sum(unit[1:] * unit[:-1], axis=1)
    change[norms < 1e-9] = 0.0
    cues["harmony"] = change
    cues["loudness"] = np.sqrt(cues["loudness"])
    accent = np.zeros(count)
    for name, weight in _WEIGHTS.items():
        values = cues[name]
        spread = float(values.std())
        if spread > 1e-9:
            accent += weight * (values - values.mean()) / spread
    return accent


def read_bars(accents: np.ndarray) -> BarReading:
    """The metre and downbeat phase whose downbeats stand out most from the other beats.

    Equal bars in 4 read as 2/4 only when the bar's middle beat is as strong as its first.
    """
    best = BarReading(4, 0, -np.inf)
    profiles: dict[int, np.ndarray] = {}
    for beats_per_bar in CANDIDATE_BEATS_PER_BAR:
        if len(accents) < 2 * beats_per_bar:
            continue
        profile = np.array([accents[phase::beats_per_bar].mean() for phase in range(beats_per_bar)])
        profiles[beats_per_bar] = profile
    if not profiles:
        return BarReading(4, 0, 0.0)
    for beats_per_bar in (3, 4):
        if beats_per_bar not in profiles:
            continue
        profile = profiles[beats_per_bar]
        phase = int(np.argmax(profile))
        others = np.delete(profile, phase)
        contrast = float(profile[phase] - others.mean())
        if contrast > best.contrast:
            best = BarReading(beats_per_bar, phase, contrast)
    if best.beats_per_bar == 4:
        profile = profiles[4]
        first, middle = profile[best.first_downbeat], profile[(best.first_downbeat + 2) % 4]
        if first > 0 and middle >= TWO_OVER_FOUR_RATIO * first:
            two = profiles[2]
            phase = int(np.argmax(two))
            return BarReading(2, phase, float(two[phase] - two[1 - phase]))
    return best
