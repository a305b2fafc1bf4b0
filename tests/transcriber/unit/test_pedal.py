"""The sustain pedal: transkun's pedal events, the JSON and MIDI answers, scoring, rendering."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pretty_midi
import pytest

from transcriber.api.formats import pedal_json
from transcriber.domain import NoteEvent, PedalEvent
from transcriber.evaluation.pieces import Piece, ScoreNote, ScorePedal
from transcriber.evaluation.scoring import pedal_spans_of_midi, score_pedals
from transcriber.midi import midi_bytes, notes_to_midi
from transcriber.models.transkun.adapter import _events, _pedals


@dataclass
class _RawEvent:
    """Stands in for transkun's ``Note`` (start, end, pitch, velocity)."""

    start: float
    end: float
    pitch: int
    velocity: int = 80


def test_transkun_sustain_events_become_pedal_spans_and_the_soft_pedal_is_left_out() -> None:
    raw = [
        _RawEvent(2.0, 3.5, -64),
        _RawEvent(0.5, 1.9, -64),
        _RawEvent(0.4, 4.0, -67),  # the soft pedal
        _RawEvent(0.5, 1.0, 60),
        _RawEvent(1.0, 1.0, -64),  # nothing held: no span
    ]
    assert _pedals(raw) == [PedalEvent(0.5, 1.9), PedalEvent(2.0, 3.5)]
    assert [e.pitch_midi for e in _events(raw)] == [60]


def test_pedal_json_rounds_like_notes() -> None:
    assert pedal_json(PedalEvent(0.1234567, 2.0000004)) == {"start_s": 0.123457, "end_s": 2.0}


def test_the_midi_answer_holds_the_pedal_as_controller_64() -> None:
    notes = [NoteEvent(0.5, 1.0, 60, 90)]
    pedals = [PedalEvent(0.45, 1.8), PedalEvent(1.9, 3.0)]
    midi = pretty_midi.PrettyMIDI(io.BytesIO(midi_bytes(notes_to_midi(notes, pedals=pedals))))
    changes = [(c.number, c.value, round(c.time, 3)) for c in midi.instruments[0].control_changes]
    assert changes == [(64, 127, 0.45), (64, 0, 1.8), (64, 127, 1.9), (64, 0, 3.0)]
    spans = pedal_spans_of_midi(midi)
    assert [(round(p.start_s, 3), round(p.end_s, 3)) for p in spans] == [(0.45, 1.8), (1.9, 3.0)]


def _spans(*pairs: tuple[float, float]) -> list[PedalEvent]:
    return [PedalEvent(a, b) for a, b in pairs]


def test_pedal_scores_count_onsets_and_offsets() -> None:
    reference = _spans((1.0, 2.0), (2.1, 3.0), (3.1, 4.0))
    close = _spans((1.02, 2.01), (2.12, 3.02), (3.09, 4.01))
    assert score_pedals(reference, close).onset_f1 == pytest.approx(1.0)
    assert score_pedals(reference, close).onset_offset_f1 == pytest.approx(1.0)
    late_lift = _spans((1.0, 2.6), (3.1, 4.0))
    scores = score_pedals(reference, late_lift)
    assert scores.onset_f1 == pytest.approx(0.8)
    assert scores.onset_offset_f1 == pytest.approx(0.4)
    assert score_pedals(reference, []).onset_f1 == 0.0


def test_a_pieces_midi_holds_its_pedal() -> None:
    piece = Piece("pedalled", (ScoreNote(0.5, 0.7, 48, 80),), pedals=(ScorePedal(0.55, 2.0),))
    spans = pedal_spans_of_midi(piece.to_midi())
    assert [(round(p.start_s, 3), round(p.end_s, 3)) for p in spans] == [(0.55, 2.0)]


def test_the_sampled_piano_lets_a_pedalled_note_ring_until_the_pedal_lifts() -> None:
    from transcriber.evaluation.sampled_piano import RATE_HZ, load_bank, render_notes

    bank = load_bank()
    note = (ScoreNote(0.2, 0.5, 60, 80),)
    dry = render_notes(note, bank, tail_s=2.0)
    pedalled = render_notes(note, bank, tail_s=0.5, pedals=(ScorePedal(0.1, 2.0),))
    assert len(pedalled) == len(dry)  # the pedal's lift counts as the last release
    # Well after the key is up, the undamped string still sounds; the damped one is silent.
    window = slice(int(1.5 * RATE_HZ), int(1.8 * RATE_HZ))
    damped = float(np.sqrt(np.mean(dry[window] ** 2)))
    ringing = float(np.sqrt(np.mean(pedalled[window] ** 2)))
    assert ringing > 20 * damped


def test_pressing_the_pedal_is_heard_at_once_even_while_the_key_is_held() -> None:
    from transcriber.evaluation.sampled_piano import RATE_HZ, load_bank, render_notes

    bank = load_bank()
    note = (ScoreNote(0.2, 2.0, 60, 80),)
    dry = render_notes(note, bank, tail_s=1.0)
    pedalled = render_notes(note, bank, tail_s=1.0, pedals=(ScorePedal(1.0, 2.0),))
    before = slice(0, int(1.0 * RATE_HZ))
    assert np.array_equal(dry[before], pedalled[before])
    # The felts' rub sets the open strings ringing within the first 100 ms of the press.
    after = slice(int(1.0 * RATE_HZ), int(1.1 * RATE_HZ))
    added = float(np.sqrt(np.mean((pedalled[after] - dry[after]) ** 2)))
    assert added > 0.022 * float(np.max(np.abs(dry)))  # 0.017 with the thump alone
