"""Counts a MIDI file's events from its bytes, so huge files are refused before parsing."""

from __future__ import annotations

MAX_MIDI_EVENTS = 100_000
"""Most events (of all kinds, all tracks) an imported file may hold: five times what the
editor's 20,000-note limit needs (an on and an off per note, plus pedal and tempo)."""

_HEADER_BYTES = 14
_CHUNK_HEADER_BYTES = 8
_DATA_BYTES = {0x8: 2, 0x9: 2, 0xA: 2, 0xB: 2, 0xC: 1, 0xD: 1, 0xE: 2}
"""Data bytes after the status of each channel message kind (high nibble of the status)."""


class MidiStructureError(ValueError):
    """The bytes do not follow the Standard MIDI File layout."""


class TooManyMidiEvents(ValueError):
    """The file holds more events than allowed."""


def _read_varlen(data: bytes, pos: int, end: int) -> tuple[int, int]:
    value = 0
    for _ in range(4):  # the format allows at most four bytes
        if pos >= end:
            raise MidiStructureError("variable-length number runs past its track")
        byte = data[pos]
        pos += 1
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos
    raise MidiStructureError("variable-length number longer than four bytes")


def _count_track(data: bytes, pos: int, end: int, budget: int) -> int:
    """Count one track's events (at most ``budget``, else raise)."""
    count = 0
    running: int | None = None
    while pos < end:
        _delta, pos = _read_varlen(data, pos, end)
        if pos >= end:
            raise MidiStructureError("event without a status")
        status = data[pos]
        if status >= 0x80:
            pos += 1
        elif running is None:
            raise MidiStructureError("running status before any status")
        else:
            status = running
        if status in (0xFF, 0xF0, 0xF7):
            if status == 0xFF:
                pos += 1  # the meta type
            length, pos = _read_varlen(data, pos, end)
            pos += length
        elif status >= 0xF0:
            raise MidiStructureError("system common message inside a file")
        else:
            running = status
            pos += _DATA_BYTES[status >> 4]
        if pos > end:
            raise MidiStructureError("event runs past its track")
        count += 1
        if count > budget:
            raise TooManyMidiEvents()
    return count


def count_midi_events(data: bytes, limit: int = MAX_MIDI_EVENTS) -> int:
    """Count the events in every track of a Standard MIDI File without building them.

    Cheap in memory (no objects per event) and bounded in time: it stops at ``limit``.

    Raises:
        MidiStructureError: The header, a chunk or an event is malformed or truncated.
        TooManyMidiEvents: There are more than ``limit`` events.
    """
    if len(data) < _HEADER_BYTES or data[:4] != b"MThd":
        raise MidiStructureError("no MIDI header")
    header_length = int.from_bytes(data[4:8], "big")
    track_count = int.from_bytes(data[10:12], "big")
    pos = 8 + header_length
    total = 0
    for _ in range(track_count):
        if pos + _CHUNK_HEADER_BYTES > len(data):
            raise MidiStructureError("missing track")
        kind = data[pos : pos + 4]
        length = int.from_bytes(data[pos + 4 : pos + 8], "big")
        pos += _CHUNK_HEADER_BYTES
        if pos + length > len(data):
            raise MidiStructureError("truncated chunk")
        if kind == b"MTrk":
            total += _count_track(data, pos, pos + length, limit - total)
        pos += length
    return total
