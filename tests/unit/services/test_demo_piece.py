"""Reading the demo MIDI and preparing the transcribed minuet for the piano roll."""

from __future__ import annotations

import json
from pathlib import Path

import mido

from keycraft.services.demo_piece import (
    SCORE_MIDI_PATH,
    TRANSCRIPTION_MIDI_PATH,
    DemoPiece,
    demo_piece,
    read_midi_notes,
)
from keycraft.services.domain import Note


def test_midi_notes_are_read_and_rescaled_to_480_ticks_per_quarter(tmp_path: Path) -> None:
    song = mido.MidiFile(ticks_per_beat=96)
    track = mido.MidiTrack()
    track.append(mido.Message("note_on", note=60, velocity=90, time=0))
    track.append(mido.Message("note_on", note=64, velocity=70, time=48))
    track.append(mido.Message("note_off", note=60, velocity=0, time=48))
    track.append(mido.Message("note_on", note=64, velocity=0, time=96))  # velocity 0 = off
    song.tracks.append(track)
    path = tmp_path / "two.mid"
    song.save(path)
    assert read_midi_notes(path) == (Note(0, 480, 60, 90), Note(240, 720, 64, 70))


def test_bars_round_up_to_whole_bars_and_rows_are_ready_for_the_roll() -> None:
    piece = DemoPiece((Note(0, 480, 60, 100), Note(1440, 10, 62, 80)), 120.0, 3)
    assert (piece.bars, piece.bar_ticks, piece.loop_end_tick) == (2, 1440, 2880)
    assert json.loads(piece.notes_json()) == [
        {"id": "d0", "start_tick": 0, "duration_ticks": 480, "pitch_midi": 60, "velocity": 100},
        {"id": "d1", "start_tick": 1440, "duration_ticks": 10, "pitch_midi": 62, "velocity": 80},
    ]
    assert DemoPiece((), 120.0, 3).bars == 0


def test_the_shipped_transcription_matches_the_written_minuet() -> None:
    written = read_midi_notes(SCORE_MIDI_PATH)
    heard = read_midi_notes(TRANSCRIPTION_MIDI_PATH)
    piece = demo_piece()
    assert piece.notes == heard
    assert (len(heard), piece.bars, piece.beats_per_bar) == (45, 8, 3)
    # Every written note was heard: same pitch, onset within a 32nd note (60 ticks).
    unmatched = list(heard)
    for w in written:
        match = next(
            h
            for h in unmatched
            if h.pitch_midi == w.pitch_midi and abs(h.start_tick - w.start_tick) <= 60
        )
        unmatched.remove(match)
    assert unmatched == []
