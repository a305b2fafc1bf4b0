"""Reading the demo MIDI and laying notes out as a piano roll."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

from keycraft.services.demo_piece import (
    DEMO_MIDI_PATH,
    demo_roll,
    is_black_key,
    read_midi_notes,
    roll_layout,
)
from keycraft.services.domain import Note


def test_black_keys() -> None:
    assert [p for p in range(60, 72) if is_black_key(p)] == [61, 63, 66, 68, 70]


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


def test_layout_places_notes_in_percent_with_high_pitches_on_top() -> None:
    notes = (Note(0, 480, 60, 100), Note(960, 960, 62, 100))
    layout = roll_layout(notes, beats_per_bar=4, padding_semitones=0)
    low, high = layout.notes
    assert (layout.lowest_pitch_midi, layout.highest_pitch_midi) == (60, 62)
    assert low.left_pct == 0 and low.width_pct == pytest.approx(25.0)
    assert high.left_pct == pytest.approx(50.0) and high.width_pct == pytest.approx(50.0)
    assert high.top_pct == 0 and low.top_pct == pytest.approx(200 / 3)
    assert [lane.pitch_midi for lane in layout.lanes] == [62, 61, 60]
    assert [lane.is_black for lane in layout.lanes] == [False, True, False]
    assert layout.bar_lines_pct == ()


def test_the_shipped_demo_is_eight_bars_of_three_four() -> None:
    notes = read_midi_notes(DEMO_MIDI_PATH)
    assert len(notes) == 45
    assert max(n.start_tick + n.duration_ticks for n in notes) <= 8 * 3 * 480
    layout = demo_roll()
    assert len(layout.bar_lines_pct) == 7
    assert all(n.left_pct >= 0 and n.left_pct + n.width_pct <= 100 for n in layout.notes)
    assert roll_layout(()).notes == ()
