"""Score transcribed notes against the written ones with mir_eval's note metrics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import mir_eval
import numpy as np

from transcriber.domain import NoteEvent, midi_to_hz
from transcriber.evaluation.pieces import ScoreNote


@dataclass(frozen=True)
class NoteScores:
    """F-measures of a transcription (onset tolerance 50 ms).

    Attributes:
        onset_f1: Notes match on pitch and onset only.
        onset_offset_f1: Notes also match on offset (20% of length or 50 ms).
    """

    onset_f1: float
    onset_offset_f1: float


def _arrays(notes: Sequence[ScoreNote | NoteEvent]) -> tuple[np.ndarray, np.ndarray]:
    intervals = np.array([[n.start_s, n.end_s] for n in notes], dtype=float).reshape(-1, 2)
    pitches_hz = np.array([midi_to_hz(n.pitch_midi) for n in notes], dtype=float)
    return intervals, pitches_hz


def score_notes(reference: Sequence[ScoreNote], estimate: Sequence[NoteEvent]) -> NoteScores:
    """Compare a transcription with the score it was rendered from."""
    ref_i, ref_p = _arrays(reference)
    est_i, est_p = _arrays(estimate)
    if len(est_i) == 0:
        return NoteScores(0.0, 0.0)
    _, _, onset_f1, _ = mir_eval.transcription.precision_recall_f1_overlap(
        ref_i, ref_p, est_i, est_p, offset_ratio=None
    )
    _, _, full_f1, _ = mir_eval.transcription.precision_recall_f1_overlap(
        ref_i, ref_p, est_i, est_p
    )
    return NoteScores(onset_f1=float(onset_f1), onset_offset_f1=float(full_f1))
