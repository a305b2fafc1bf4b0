"""Score transcribed notes and sustain pedal against the written ones with mir_eval."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import mir_eval
import numpy as np
import pretty_midi

from transcriber.domain import NoteEvent, PedalEvent, midi_to_hz
from transcriber.evaluation.pieces import ScoreNote, ScorePedal

SUSTAIN_CONTROL = 64
PEDAL_DOWN_FROM = 64
"""Controller values from this up hold the pedal down (the MIDI convention)."""
_PEDAL_AS_PITCH_HZ = 1.0
"""mir_eval matches notes by pitch; every pedal span gets this same made-up one."""


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


@dataclass(frozen=True)
class PedalScores:
    """F-measures of transcribed sustain-pedal spans (onset tolerance 50 ms).

    Attributes:
        onset_f1: Spans match on the press alone.
        onset_offset_f1: Spans also match on the lift (20% of length or 50 ms).
    """

    onset_f1: float
    onset_offset_f1: float


def score_pedals(
    reference: Sequence[ScorePedal | PedalEvent], estimate: Sequence[ScorePedal | PedalEvent]
) -> PedalScores:
    """Compare transcribed pedal spans with the written ones, as mir_eval compares notes."""
    ref_i = np.array([[p.start_s, p.end_s] for p in reference], dtype=float).reshape(-1, 2)
    est_i = np.array([[p.start_s, p.end_s] for p in estimate], dtype=float).reshape(-1, 2)
    if len(ref_i) == 0 or len(est_i) == 0:
        return PedalScores(0.0, 0.0)
    ref_p = np.full(len(ref_i), _PEDAL_AS_PITCH_HZ)
    est_p = np.full(len(est_i), _PEDAL_AS_PITCH_HZ)
    _, _, onset_f1, _ = mir_eval.transcription.precision_recall_f1_overlap(
        ref_i, ref_p, est_i, est_p, offset_ratio=None
    )
    _, _, full_f1, _ = mir_eval.transcription.precision_recall_f1_overlap(
        ref_i, ref_p, est_i, est_p
    )
    return PedalScores(onset_f1=float(onset_f1), onset_offset_f1=float(full_f1))


def pedal_spans_of_midi(midi: pretty_midi.PrettyMIDI) -> list[PedalEvent]:
    """The sustain-pedal spans a MIDI file holds (controller 64), from every instrument.

    A pedal still down at the end of the file is released at its last event.
    """
    spans: list[PedalEvent] = []
    for instrument in midi.instruments:
        down_since: float | None = None
        for change in sorted(instrument.control_changes, key=lambda c: c.time):
            if change.number != SUSTAIN_CONTROL:
                continue
            down = change.value >= PEDAL_DOWN_FROM
            if down and down_since is None:
                down_since = change.time
            elif not down and down_since is not None:
                spans.append(PedalEvent(float(down_since), float(change.time)))
                down_since = None
        if down_since is not None:
            spans.append(PedalEvent(float(down_since), float(midi.get_end_time())))
    return sorted(spans, key=lambda p: p.start_s)
