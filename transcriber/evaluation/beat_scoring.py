"""Score beats, downbeats and metre against a piece's written ones, and a baseline to compare.

Beats and downbeats are scored with ``mir_eval.beat.f_measure`` (a hit within 70 ms) on the
whole piece: the written beats run from the first note to the last onset, so the usual
trimming of the first 5 s would drop a third of these short pieces. The baseline is
librosa's beat tracker on the audio, with a downbeat every fourth beat from the first and
the metre taken as 4/4 (what an editor shows when nothing is known).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import mir_eval
import numpy as np

from transcriber.domain import Rhythm
from transcriber.evaluation.metred import MetredPiece

BASELINE_BEATS_PER_BAR = 4
BASELINE_RATE_HZ = 22050


@dataclass(frozen=True)
class BeatScores:
    """How well one tracker heard one piece.

    Attributes:
        beat_f: F-measure of the beats.
        downbeat_f: F-measure of the downbeats.
        meter_ok: Whether the beats per bar are the written ones.
        beats_per_bar: The beats per bar it heard (None: no metre).
    """

    beat_f: float
    downbeat_f: float
    meter_ok: bool
    beats_per_bar: int | None


def score_times(
    metred: MetredPiece,
    beats_s: Sequence[float],
    downbeats_s: Sequence[float],
    beats_per_bar: int | None,
) -> BeatScores:
    """Scores of found beat and downbeat times, and a found metre, against the written ones."""
    return BeatScores(
        beat_f=_f(metred.beats_s, beats_s),
        downbeat_f=_f(metred.downbeats_s, downbeats_s),
        meter_ok=beats_per_bar == metred.beats_per_bar,
        beats_per_bar=beats_per_bar,
    )


def score_rhythm(metred: MetredPiece, rhythm: Rhythm) -> BeatScores:
    """Scores of what the tracker heard."""
    return score_times(
        metred,
        [b.time_s for b in rhythm.beats],
        [b.time_s for b in rhythm.beats if b.downbeat],
        rhythm.meter.beats_per_bar if rhythm.meter is not None else None,
    )


def baseline_times(wav_path: Path) -> tuple[list[float], list[float]]:
    """The beats librosa finds in the recording, and every fourth from the first as downbeats."""
    import librosa

    samples, rate_hz = librosa.load(str(wav_path), sr=BASELINE_RATE_HZ, mono=True)
    _, beats = librosa.beat.beat_track(y=samples, sr=rate_hz, units="time")
    beats_s = [float(t) for t in beats]
    return beats_s, beats_s[::BASELINE_BEATS_PER_BAR]


def score_baseline(metred: MetredPiece, wav_path: Path) -> BeatScores:
    """Scores of the librosa baseline on the recording of ``metred``."""
    beats_s, downbeats_s = baseline_times(wav_path)
    return score_times(metred, beats_s, downbeats_s, BASELINE_BEATS_PER_BAR)


def _f(reference: Sequence[float], found: Sequence[float]) -> float:
    if len(found) == 0:
        return 0.0
    return float(mir_eval.beat.f_measure(np.asarray(reference), np.asarray(found)))
