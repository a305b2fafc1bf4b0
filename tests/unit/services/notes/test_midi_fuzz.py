"""MIDI import against damaged and hostile files: a clear import error, never a crash.

A deterministic corpus (truncations, huge delta times, running-status abuse, a million
events, zero tempo) plus seeded random corruption of a valid file. Every outcome must be an
import or a ``DomainError`` the editor turns into its fixed message.
"""

from __future__ import annotations

import random
import struct
import time
import tracemalloc

import pytest

from keycraft.services.domain import Note, TimeSignature
from keycraft.services.errors import DomainError
from keycraft.services.notes.midi_io import (
    InvalidMidiFile,
    MidiTooComplex,
    export_midi,
    import_midi,
    midi_tracks,
)

BASE = export_midi(
    [Note(i * 480, 240, 60 + i % 12, 90) for i in range(24)], 120.0, TimeSignature(3, 4)
)


def _varlen(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.insert(0, (value & 0x7F) | 0x80)
        value >>= 7
    return bytes(out)


def _file(*tracks: bytes, declared_tracks: int | None = None, ppq: int = 480) -> bytes:
    count = len(tracks) if declared_tracks is None else declared_tracks
    head = b"MThd" + struct.pack(">IHHH", 6, 1, count, ppq)
    return head + b"".join(b"MTrk" + struct.pack(">I", len(t)) + t for t in tracks)


END = b"\x00\xff\x2f\x00"


def _outcome(data: bytes) -> str:
    """Import ``data`` the way the editor does; name what happened."""
    try:
        tracks = midi_tracks(data)
        imported = import_midi(data, frozenset({tracks[0].index}))
    except DomainError as error:
        return type(error).__name__
    assert imported.notes
    return "imported"


def test_the_base_file_imports() -> None:
    assert _outcome(BASE) == "imported"


def test_every_truncation_is_an_import_error_or_a_shorter_import() -> None:
    outcomes = {_outcome(BASE[:n]) for n in range(len(BASE))}
    assert outcomes <= {"InvalidMidiFile", "NoNotesInMidi", "imported"}
    assert "InvalidMidiFile" in outcomes


def test_huge_delta_times_import_without_overflow() -> None:
    track = b"\x00\x90\x3c\x40" + _varlen(0x0FFFFFFF) + b"\x80\x3c\x00" + END
    assert _outcome(_file(track)) == "imported"
    far = b"".join(_varlen(0x0FFFFFFF) + b"\x90\x3c\x40" for _ in range(200)) + END
    assert _outcome(_file(far)) == "imported"


@pytest.mark.parametrize(
    ("track", "expected"),
    [
        (b"\x00\x3c\x40" + END, "InvalidMidiFile"),  # running status before any status
        (b"\x00\xff\x03\x00\x00\x3c\x40" + END, "InvalidMidiFile"),  # after a meta only
        (b"\x00\x90\x3c", "InvalidMidiFile"),  # data byte cut off by the end of the track
        (b"\x00\xf2\x00\x00" + END, "InvalidMidiFile"),  # a system common message
        (b"\xff\xff\xff\xff\xff\x90\x3c\x40" + END, "InvalidMidiFile"),  # 5-byte delta
        (b"\x00\xff\x51\x03\x00\x00\x00\x00\x90\x3c\x40" + END, "InvalidMidiFile"),  # tempo 0
        # Running status carried over a sysex: read leniently, as players do.
        (b"\x00\x90\x3c\x40\x00\xf0\x01\xf7\x00\x3c\x00" + END, "imported"),
    ],
)
def test_running_status_abuse_and_broken_events(track: bytes, expected: str) -> None:
    assert _outcome(_file(track)) == expected


def test_zero_tempo_is_the_import_error_not_a_crash() -> None:
    track = b"\x00\xff\x51\x03\x00\x00\x00\x00\x90\x3c\x40\x60\x80\x3c\x00" + END
    with pytest.raises(InvalidMidiFile):
        import_midi(_file(track))


def test_a_header_that_lies_about_its_tracks_is_refused() -> None:
    assert _outcome(_file(b"\x00\x90\x3c\x40" + END, declared_tracks=65535)) == "InvalidMidiFile"
    assert _outcome(BASE[:8] + b"\xff\xff\xff\xff" + BASE[12:]) == "InvalidMidiFile"


def test_a_million_events_are_refused_fast_and_in_little_memory() -> None:
    # 10^6 running-status note events: 3 bytes each, under the 5 MB upload limit.
    track = b"\x00\x90\x3c\x40" + b"\x00\x3c\x40" * 1_000_000 + END
    data = _file(track)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(MidiTooComplex):
            import_midi(data)
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 5.0  # parsing them all takes far longer
    assert peak_bytes < 5 * 1024 * 1024  # no object per event was built


def test_seeded_random_corruption_never_escapes_as_another_error() -> None:
    rng = random.Random(1234)
    seen: set[str] = set()
    for _ in range(1500):
        damaged = bytearray(BASE)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(damaged))
            damaged[position] = rng.randrange(256)
        if rng.random() < 0.2:
            damaged = damaged[: rng.randrange(len(damaged))]
        seen.add(_outcome(bytes(damaged)))
    assert "imported" in seen and "InvalidMidiFile" in seen
