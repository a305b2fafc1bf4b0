"""MIDI import (type 0/1, merged tracks, tempo and metre) and exact export."""

import io

import mido
import pretty_midi
import pytest

from keycraft.services.domain import Note, TempoChange, TimeSignature, TimeSignatureChange
from keycraft.services.notes.midi_io import (
    MAX_TRACK_NAME_BYTES,
    ImportedMidi,
    InvalidMidiFile,
    MidiExportFailed,
    MidiTrackInfo,
    NoNotesInMidi,
    UnsupportedMidiFile,
    export_midi,
    import_midi,
    midi_tracks,
    read_text,
    write_text,
)
from keycraft.services.notes.timing import tick_to_seconds


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
    assert imported.tempo_changes == (TempoChange(1440, 60.0),)
    assert imported.time_signature == TimeSignature(3, 4)
    assert imported.time_signature_changes == ()
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
    assert (imported.tempo_changes, imported.time_signature_changes) == ((), ())


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


# --- tempo and metre maps ---------------------------------------------------------------------
# Tempos whose microseconds per quarter are whole numbers, so the file stores them exactly.
TEMPO_MAP_AT_240_PPQ = ((0, 100.0), (720, 75.0), (1440, 150.0), (2880, 96.0))


def _type1_with_maps() -> bytes:
    """A 240 PPQ type 1 file: a conductor track with 3 tempo changes and 3/4 → 4/4 at bar 3."""
    midi = mido.MidiFile(type=1, ticks_per_beat=240)
    conductor: list[tuple[int, mido.MetaMessage]] = [
        (tick, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm)))
        for tick, bpm in TEMPO_MAP_AT_240_PPQ
    ]
    conductor += [
        (0, mido.MetaMessage("time_signature", numerator=3, denominator=4)),
        (1440, mido.MetaMessage("time_signature", numerator=4, denominator=4)),
    ]
    right = [
        (t, p, 240, 70 + i % 50)
        for i, (t, p) in enumerate((t, 60 + t % 13) for t in range(0, 4800, 120))
    ]
    left = [(t, 40 + t % 7, 700, 55) for t in range(0, 4800, 360)]
    midi.tracks.append(_track(conductor))
    for notes in (right, left):
        events: list[tuple[int, mido.Message]] = []
        for start, pitch, length, velocity in notes:
            events.append((start, mido.Message("note_on", note=pitch, velocity=velocity)))
            events.append((start + length, mido.Message("note_off", note=pitch)))
        midi.tracks.append(_track(events))
    return _save(midi)


def _track(
    events: list[tuple[int, mido.Message]] | list[tuple[int, mido.MetaMessage]],
) -> mido.MidiTrack:
    track = mido.MidiTrack()
    previous = 0
    for tick, message in sorted(events, key=lambda e: (e[0], e[1].type != "note_off")):
        track.append(message.copy(time=tick - previous))
        previous = tick
    return track


def _reexport(imported: ImportedMidi) -> bytes:
    return export_midi(
        imported.notes,
        imported.tempo_bpm,
        imported.time_signature,
        tempo_changes=imported.tempo_changes,
        time_signature_changes=imported.time_signature_changes,
    )


def test_import_keeps_the_tempo_map_and_the_time_signature_changes() -> None:
    imported = import_midi(_type1_with_maps())
    assert imported.tempo_bpm == 100.0
    assert imported.tempo_changes == (
        TempoChange(1440, 75.0),
        TempoChange(2880, 150.0),
        TempoChange(5760, 96.0),
    )
    assert imported.time_signature == TimeSignature(3, 4)
    assert imported.time_signature_changes == (TimeSignatureChange(2880, 4, 4),)


def test_type1_with_maps_exported_and_reimported_is_identical_in_ticks() -> None:
    imported = import_midi(_type1_with_maps())
    again = import_midi(_reexport(imported))
    assert again.notes == imported.notes
    assert (again.tempo_bpm, again.tempo_changes) == (imported.tempo_bpm, imported.tempo_changes)
    assert (again.time_signature, again.time_signature_changes) == (
        imported.time_signature,
        imported.time_signature_changes,
    )


def _mido_note_on_seconds(data: bytes) -> list[tuple[int, float]]:
    """(pitch, seconds) of every note-on, stepping through the file's tempo events with mido."""
    midi = mido.MidiFile(file=io.BytesIO(data))
    seconds, tempo = 0.0, mido.bpm2tempo(120)
    found = []
    for message in mido.merge_tracks(midi.tracks):
        seconds += mido.tick2second(message.time, midi.ticks_per_beat, tempo)
        if message.type == "set_tempo":
            tempo = message.tempo
        elif message.type == "note_on" and message.velocity > 0:
            found.append((message.note, seconds))
    return found


def test_note_seconds_under_the_map_equal_what_mido_computes_from_the_file() -> None:
    imported = import_midi(_type1_with_maps())
    tempo_map = (TempoChange(0, imported.tempo_bpm), *imported.tempo_changes)
    for data in (_type1_with_maps(), _reexport(imported)):
        ours = sorted(
            (tick_to_seconds(n.start_tick, tempo_map), n.pitch_midi) for n in imported.notes
        )
        theirs = sorted((at_s, pitch) for pitch, at_s in _mido_note_on_seconds(data))
        assert [p for _, p in ours] == [p for _, p in theirs]
        for (our_s, _), (their_s, _) in zip(ours, theirs, strict=True):
            assert our_s == pytest.approx(their_s, rel=1e-9, abs=1e-12)
    # Three beats at 100 BPM, three at 75, six at 150.
    assert tick_to_seconds(5760, tempo_map) == pytest.approx(3 * 0.6 + 3 * 0.8 + 6 * 0.4)


def test_repeated_and_redundant_map_events_collapse() -> None:
    midi = mido.MidiFile(type=1, ticks_per_beat=480)
    conductor = [
        (0, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(120))),
        (960, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(120))),  # no change
        (1920, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(100))),
        (1920, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(80))),  # the last one wins
        (1920, mido.MetaMessage("time_signature", numerator=4, denominator=4)),  # 4/4 already
    ]
    notes = [
        (0, mido.Message("note_on", note=60, velocity=9)),
        (5, mido.Message("note_off", note=60)),
    ]
    midi.tracks.extend([_track(conductor), _track(notes)])
    imported = import_midi(_save(midi))
    assert imported.tempo_changes == (TempoChange(1920, 80.0),)
    assert imported.time_signature_changes == ()


UNICODE_TITLE = "Nocturne – Op.9 月光"


def test_a_unicode_title_is_written_as_utf8_and_every_reader_opens_the_file() -> None:
    notes = [Note(0, 480, 60, 90), Note(480, 240, 64, 70)]
    data = export_midi(notes, 120, TimeSignature(4, 4), title=UNICODE_TITLE)

    name_event = next(m for m in mido.MidiFile(file=io.BytesIO(data)).tracks[0] if m.is_meta)
    assert name_event.type == "track_name"
    # The raw bytes of the meta event are the title's UTF-8.
    assert UNICODE_TITLE.encode("utf-8") in data
    # mido told to read UTF-8 shows the title; pretty_midi (which reads Latin-1) opens the
    # file with every note, and its name holds the same UTF-8 bytes.
    utf8 = mido.MidiFile(file=io.BytesIO(data), charset="utf-8")
    assert utf8.tracks[0].name == UNICODE_TITLE
    pm = pretty_midi.PrettyMIDI(io.BytesIO(data))
    assert sorted((n.pitch, round(n.start, 3)) for i in pm.instruments for n in i.notes) == [
        (60, 0.0),
        (64, 0.5),
    ]
    assert {read_text(i.name) for i in pm.instruments} == {UNICODE_TITLE}
    # Our own import lists the track under its readable name.
    assert midi_tracks(data) == [MidiTrackInfo(0, UNICODE_TITLE, 2)]
    assert set(import_midi(data).notes) == set(notes)


def test_track_names_are_cut_at_a_character_boundary() -> None:
    long_title = "月" * 200  # 600 bytes of UTF-8
    written = write_text(long_title)
    assert len(written) <= MAX_TRACK_NAME_BYTES
    assert read_text(written) == "月" * (MAX_TRACK_NAME_BYTES // 3)


def test_legacy_latin1_track_names_are_read_as_they_are() -> None:
    assert read_text("Pr\xe9lude") == "Prélude"  # not valid UTF-8: kept as read
    assert read_text(write_text("Prélude")) == "Prélude"


def test_an_unwritable_project_fails_with_a_domain_error() -> None:
    with pytest.raises(MidiExportFailed):
        export_midi([Note(0, 480, 200, 90)], 120, TimeSignature(4, 4))
