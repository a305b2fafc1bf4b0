"""Beats in the answers: the JSON fields, and the MIDI tempo map and time signatures."""

from __future__ import annotations

import io

import numpy as np
import pretty_midi
import pytest

from transcriber.api.formats import rhythm_json
from transcriber.domain import Beat, Meter, NoteEvent, PedalEvent, Rhythm
from transcriber.midi import TICKS_PER_QUARTER, midi_bytes, notes_to_midi
from transcriber.rhythm.tempo_map import TempoChange, TimeSignatureChange, tempo_map


def _beats(times_s: list[float], first_downbeat: int, beats_per_bar: int) -> list[Beat]:
    return [
        Beat(t, downbeat=(i - first_downbeat) % beats_per_bar == 0) for i, t in enumerate(times_s)
    ]


def _slowing_waltz() -> Rhythm:
    """A one-beat pickup at 0.5 s, then 3/4 bars slowing from 0.5 s to 0.8 s a beat."""
    gaps = np.linspace(0.5, 0.8, 12)
    times = [0.5, *(0.5 + np.cumsum(gaps)).tolist()]
    return Rhythm(_beats(times, 1, 3), Meter(3, 4))


def _read(rhythm: Rhythm, notes: list[NoteEvent], **kwargs: object) -> pretty_midi.PrettyMIDI:
    written = notes_to_midi(notes, rhythm=rhythm, **kwargs)  # type: ignore[arg-type]
    return pretty_midi.PrettyMIDI(io.BytesIO(midi_bytes(written)))


def test_the_json_fields_list_beats_in_order_and_the_metre() -> None:
    rhythm = Rhythm([Beat(0.51234, True), Beat(1.0, False)], Meter(3, 4))
    assert rhythm_json(rhythm) == {
        "beats": [{"time_s": 0.512, "downbeat": True}, {"time_s": 1.0, "downbeat": False}],
        "meter": {"beats_per_bar": 3, "beat_unit": 4},
    }
    assert rhythm_json(Rhythm.unknown()) == {"beats": [], "meter": None}


def test_a_pickup_makes_a_short_first_bar_so_bars_open_on_downbeats() -> None:
    # The first beat falls at 0 s: no lead beat; it is the pickup, a 1/4 bar before 3/4.
    rhythm = Rhythm(_beats([0.0, 0.5, 1.0, 1.5, 2.0, 2.6], 1, 3), Meter(3, 4))
    planned = tempo_map(rhythm.beats, rhythm.meter or Meter(3, 4), 480)
    assert planned.time_signatures == [
        TimeSignatureChange(0, 1, 4),
        TimeSignatureChange(480, 3, 4),
    ]
    assert planned.tempos[0] == TempoChange(0, 0.5 / 480)
    assert planned.tempos[-1] == TempoChange(4 * 480, pytest.approx(0.6 / 480))  # type: ignore[arg-type]
    assert planned.seconds_at(5 * 480) == pytest.approx(2.6)


def test_silence_before_the_first_beat_becomes_lead_beats_in_the_first_bar() -> None:
    rhythm = _slowing_waltz()
    planned = tempo_map(rhythm.beats, Meter(3, 4), 480)
    # One lead beat (0-0.5 s) and the one-beat pickup make a 2/4 bar before the 3/4 bars.
    assert planned.time_signatures == [
        TimeSignatureChange(0, 2, 4),
        TimeSignatureChange(2 * 480, 3, 4),
    ]
    assert planned.seconds_at(480) == pytest.approx(0.5)


def test_the_midi_tempo_map_follows_the_beats_and_notes_keep_their_times() -> None:
    rhythm = _slowing_waltz()
    times = [b.time_s for b in rhythm.beats]
    notes = [NoteEvent(t, t + 0.3, 60 + i % 12, 80) for i, t in enumerate(times)]
    notes.append(NoteEvent(times[3] + 0.123, times[3] + 0.4, 50, 70))
    midi = _read(rhythm, notes, pedals=[PedalEvent(times[1] + 0.05, times[4])])
    assert midi.resolution == TICKS_PER_QUARTER
    assert np.allclose(midi.get_beats()[1 : len(times) + 1], times, atol=2e-3)
    downbeats = [b.time_s for b in rhythm.beats if b.downbeat]
    assert np.allclose(midi.get_downbeats()[1 : len(downbeats) + 1], downbeats, atol=2e-3)
    signatures = [(s.numerator, s.denominator) for s in midi.time_signature_changes]
    assert signatures == [(2, 4), (3, 4)]
    written = sorted((round(n.start, 3), n.pitch) for n in midi.instruments[0].notes)
    assert written == sorted((round(n.start_s, 3), n.pitch_midi) for n in notes)
    pedal = [round(c.time, 3) for c in midi.instruments[0].control_changes]
    assert pedal == [round(times[1] + 0.05, 3), round(times[4], 3)]
    _, bpm = midi.get_tempo_changes()
    # The lead beat and the first beat both last 0.5 s (one tempo), then it slows each beat.
    assert bpm[0] == pytest.approx(120.0, rel=1e-3)
    assert np.all(np.diff(bpm) < 0)
    assert bpm[-1] == pytest.approx(60 / 0.8, rel=1e-3)


def test_eighth_beats_are_eighths_in_the_file() -> None:
    times = [0.0 + 0.25 * i for i in range(13)]
    rhythm = Rhythm(_beats(times, 0, 6), Meter(6, 8))
    midi = _read(rhythm, [NoteEvent(t, t + 0.2, 60, 80) for t in times])
    assert [(s.numerator, s.denominator) for s in midi.time_signature_changes] == [(6, 8)]
    _, bpm = midi.get_tempo_changes()
    assert bpm[0] == pytest.approx(120.0, rel=1e-3)  # a quarter is two 0.25 s eighths


def test_without_beats_the_file_keeps_the_asked_tempo() -> None:
    notes = [NoteEvent(0.5, 1.0, 60, 80)]
    midi = _read(Rhythm.unknown(), notes, tempo_bpm=90.0)
    assert midi.get_tempo_changes()[1][0] == pytest.approx(90.0, rel=1e-3)
