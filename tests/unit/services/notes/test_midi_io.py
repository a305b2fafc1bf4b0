"""MIDI import (type 0/1, merged tracks, tempo and metre) and exact export."""

import io

import mido
import pytest

from keycraft.services.domain import Note, TimeSignature
from keycraft.services.notes.midi_io import (
    InvalidMidiFile,
    MidiTrackInfo,
    NoNotesInMidi,
    TempoChange,
    UnsupportedMidiFile,
    export_midi,
    import_midi,
    midi_tracks,
)


def _save(midi: mido.MidiFile) -> bytes:
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def _type1_at_96_ppq() -> bytes:
    midi = mido.MidiFile(type=1, ticks_per_beat=96)
    meta = mido.MidiTrack(
        [
            mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(90), time=0),
            mido.MetaMessage("time_signature", numerator=3, denominator=4, time=0),
            mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(60), time=288),
        ]
    )
    right = mido.MidiTrack(
        [
            mido.Message("note_on", note=72, velocity=90, time=0),
            mido.Message("note_on", note=72, velocity=0, time=48),  # running-status style off
            mido.Message("note_on", note=76, velocity=80, time=0),
            mido.Message("note_off", note=76, velocity=0, time=48),
        ]
    )
    left = mido.MidiTrack(
        [
            mido.Message("note_on", channel=1, note=48, velocity=60, time=96),
            mido.Message("note_off", channel=1, note=48, time=192),
            mido.Message("note_on", channel=9, note=36, velocity=100, time=0),  # drums: dropped
            mido.Message("note_off", channel=9, note=36, time=10),
            mido.Message("note_on", channel=1, note=50, velocity=61, time=0),  # never ended
        ]
    )
    midi.tracks.extend([meta, right, left])
    return _save(midi)


def test_type1_tracks_merge_with_tempo_map_and_time_signature_kept() -> None:
    imported = import_midi(_type1_at_96_ppq())
    assert imported.notes == (
        Note(0, 240, 72, 90),
        Note(240, 240, 76, 80),
        Note(480, 960, 48, 60),
        Note(1490, 1, 50, 61),
    )
    assert imported.tempo_bpm == 90.0
    assert imported.tempo_changes == (TempoChange(0, 90.0), TempoChange(1440, 60.0))
    assert imported.time_signature == TimeSignature(3, 4)
    assert imported.track_count == 3


def test_type0_file_imports() -> None:
    midi = mido.MidiFile(type=0, ticks_per_beat=480)
    midi.tracks.append(
        mido.MidiTrack(
            [
                mido.Message("note_on", note=60, velocity=100, time=10),
                mido.Message("note_off", note=60, time=470),
            ]
        )
    )
    imported = import_midi(_save(midi))
    assert imported.notes == (Note(10, 470, 60, 100),)
    assert imported.tempo_bpm == 120.0
    assert imported.time_signature == TimeSignature(4, 4)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"RIFF....WAVEfmt ",
        b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0MTrk\x00\x00\x01\x00\x90<",
        b"MThd" + b"\x00" * 5_300_000,
    ],
)
def test_non_midi_and_corrupt_files_raise_a_domain_error(data: bytes) -> None:
    with pytest.raises(InvalidMidiFile):
        import_midi(data)


def test_type2_and_note_free_files_are_refused() -> None:
    type2 = mido.MidiFile(type=2)
    type2.tracks.append(mido.MidiTrack([mido.Message("note_on", note=60, time=0)]))
    with pytest.raises(UnsupportedMidiFile):
        import_midi(_save(type2))
    empty = mido.MidiFile(type=0)
    empty.tracks.append(mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500000)]))
    with pytest.raises(NoNotesInMidi):
        import_midi(_save(empty))


def test_export_then_import_gives_exactly_the_same_notes_including_overlaps() -> None:
    notes = [
        Note(0, 480, 60, 100),
        Note(240, 480, 60, 50),  # overlaps the first on the same pitch
        Note(480, 1, 60, 1),  # touches the first's end
        Note(7, 333, 108, 127),
        Note(0, 960, 21, 64),
        Note(960, 123, 61, 2),
    ]
    data = export_midi(notes, 87.5, TimeSignature(6, 8), title="Étude")
    imported = import_midi(data)
    key = lambda n: (n.start_tick, n.pitch_midi, n.duration_ticks, n.velocity)  # noqa: E731
    assert sorted(imported.notes, key=key) == sorted(notes, key=key)
    assert imported.tempo_bpm == pytest.approx(87.5, abs=0.01)
    assert imported.time_signature == TimeSignature(6, 8)
    assert mido.MidiFile(file=io.BytesIO(data)).ticks_per_beat == 480


def test_tracks_are_listed_and_one_can_be_chosen() -> None:
    data = _type1_at_96_ppq()
    assert midi_tracks(data) == [MidiTrackInfo(1, "", 2), MidiTrackInfo(2, "", 2)]
    left_only = import_midi(data, frozenset({2}))
    assert left_only.notes == (Note(480, 960, 48, 60), Note(1490, 1, 50, 61))
    assert left_only.tempo_bpm == 90.0  # the tempo lives in track 0, read either way
    assert left_only.time_signature == TimeSignature(3, 4)
    with pytest.raises(NoNotesInMidi):
        import_midi(data, frozenset({0}))
