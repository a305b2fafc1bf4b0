"""Standard MIDI files in and out: exact ticks at the editor's resolution."""

from __future__ import annotations

import io
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import mido

from keycraft.services.domain import (
    DEFAULT_TEMPO_BPM,
    TICKS_PER_QUARTER,
    Note,
    PedalSpan,
    TempoChange,
    TimeSignature,
    TimeSignatureChange,
)
from keycraft.services.errors import DomainError
from keycraft.services.notes.midi_scan import (
    MAX_MIDI_EVENTS,
    MidiStructureError,
    TooManyMidiEvents,
    count_midi_events,
)
from keycraft.services.notes.pedal import (
    SUSTAIN_CONTROL,
    PedalReader,
    merge_spans,
    pedal_events,
)

MAX_MIDI_BYTES = 5 * 1024 * 1024
"""Largest MIDI file accepted for import."""

PERCUSSION_CHANNEL = 9
"""General MIDI channel 10 (0-based 9) holds drums, which have no place in a piano part."""

_MELODIC_CHANNELS = tuple(c for c in range(16) if c != PERCUSSION_CHANNEL)

MAX_TRACK_NAME_BYTES = 480
"""Longest track name written, in UTF-8 bytes: any 120-character title fits."""


class InvalidMidiFile(DomainError):
    """The bytes are not a readable Standard MIDI File (or are too large)."""


class MidiTooComplex(InvalidMidiFile):
    """The file holds more events than the editor takes (see ``MAX_MIDI_EVENTS``)."""


class UnsupportedMidiFile(DomainError):
    """A readable MIDI file of a kind the editor does not take (type 2)."""


class NoNotesInMidi(DomainError):
    """A valid MIDI file without any piano notes."""


class MidiExportFailed(DomainError):
    """The project could not be written as a MIDI file."""


@dataclass(frozen=True, slots=True)
class MidiTrackInfo:
    """A track of a MIDI file that holds piano notes, for choosing what to import."""

    index: int
    name: str
    note_count: int


@dataclass(frozen=True, slots=True)
class ImportedMidi:
    """What a MIDI file gives the editor: merged notes plus the tempo and metre maps.

    ``tempo_bpm`` and ``time_signature`` are in force at tick 0 (120 BPM and 4/4 when the file
    does not say); ``tempo_changes`` and ``time_signature_changes`` are the later changes, as
    a :class:`~keycraft.services.domain.Project` keeps them.
    """

    notes: tuple[Note, ...]
    tempo_bpm: float
    time_signature: TimeSignature
    tempo_changes: tuple[TempoChange, ...]
    track_count: int
    time_signature_changes: tuple[TimeSignatureChange, ...] = ()
    pedals: tuple[PedalSpan, ...] = ()
    """Sustain pedal (controller 64) of the taken tracks, joined into one line."""


def _scale(tick: int, ticks_per_beat: int) -> int:
    return round(tick * TICKS_PER_QUARTER / ticks_per_beat)


def _read(data: bytes) -> mido.MidiFile:
    if len(data) > MAX_MIDI_BYTES or not data.startswith(b"MThd"):
        raise InvalidMidiFile("not a standard MIDI file")
    return _parse(data)


@lru_cache(maxsize=2)
def _parse(data: bytes) -> mido.MidiFile:
    """Parse once: the editor lists a file's tracks, then imports the same bytes.

    The events are counted from the bytes first, so a file is only turned into objects
    when there are few enough of them. Callers only read the result.
    """
    try:
        count_midi_events(data)
    except TooManyMidiEvents as exc:
        raise MidiTooComplex(f"more than {MAX_MIDI_EVENTS} events") from exc
    except MidiStructureError as exc:
        raise InvalidMidiFile(str(exc)) from exc
    try:
        return mido.MidiFile(file=io.BytesIO(data), clip=True)
    except (OSError, EOFError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise InvalidMidiFile(type(exc).__name__) from exc


def midi_tracks(data: bytes) -> list[MidiTrackInfo]:
    """List the tracks of a MIDI file that hold melodic notes.

    Raises:
        The same errors as :func:`import_midi`.
    """
    midi = _read(data)
    if midi.type not in (0, 1):
        raise UnsupportedMidiFile(f"type {midi.type}")
    tracks = []
    for index, track in enumerate(midi.tracks):
        count = sum(
            1
            for m in track
            if m.type == "note_on" and m.velocity > 0 and m.channel != PERCUSSION_CHANNEL
        )
        if count:
            tracks.append(MidiTrackInfo(index, read_text(track.name or "").strip()[:60], count))
    if not tracks:
        raise NoNotesInMidi("no notes")
    return tracks


def import_midi(data: bytes, track_indices: frozenset[int] | None = None) -> ImportedMidi:
    """Parse a type 0 or 1 MIDI file, merging melodic tracks into one piano part.

    Notes are matched first-on, first-off per channel and pitch; a note left sounding at
    the end of its track ends there. Nothing is returned unless the whole file parsed.
    Tempo and time signature are read from every track either way.

    Args:
        data: The file's bytes.
        track_indices: The tracks whose notes to take (by index in the file); None for all.

    Raises:
        InvalidMidiFile: the bytes are not a MIDI file, or are corrupt.
        UnsupportedMidiFile: a type 2 (sequence) file.
        NoNotesInMidi: the file has no melodic notes.
    """
    midi = _read(data)
    if midi.type not in (0, 1):
        raise UnsupportedMidiFile(f"type {midi.type}")
    ppq = midi.ticks_per_beat
    if ppq <= 0:
        raise InvalidMidiFile("SMPTE time division is not supported")
    notes: list[Note] = []
    tempos: list[TempoChange] = []
    signatures: list[TimeSignatureChange] = []
    pedals: list[PedalSpan] = []
    for index, track in enumerate(midi.tracks):
        read = _read_track(track, ppq, take_notes=track_indices is None or index in track_indices)
        notes += read.notes
        tempos += read.tempos
        signatures += read.signatures
        pedals += read.pedals
    if not notes:
        raise NoNotesInMidi("no notes")
    tempo_map = _tempo_map(tempos)
    signature_map = _signature_map(signatures)
    return ImportedMidi(
        notes=tuple(sorted(notes, key=lambda n: (n.start_tick, n.pitch_midi))),
        tempo_bpm=tempo_map[0].tempo_bpm,
        time_signature=signature_map[0].time_signature,
        tempo_changes=tempo_map[1:],
        track_count=len(midi.tracks),
        time_signature_changes=signature_map[1:],
        pedals=merge_spans(pedals),
    )


@dataclass
class _TrackEvents:
    """What one track holds: its notes (when taken), tempo and metre events."""

    notes: list[Note] = field(default_factory=list)
    tempos: list[TempoChange] = field(default_factory=list)
    signatures: list[TimeSignatureChange] = field(default_factory=list)
    pedals: list[PedalSpan] = field(default_factory=list)


def _read_track(track: mido.MidiTrack, ppq: int, *, take_notes: bool) -> _TrackEvents:
    """One track's events, with ticks scaled to ours.

    Raises:
        InvalidMidiFile: a tempo of zero.
    """
    read = _TrackEvents()
    pedal = PedalReader()
    open_notes: dict[tuple[int, int], deque[tuple[int, int]]] = defaultdict(deque)
    tick = 0
    for message in track:
        tick += message.time
        if message.type == "set_tempo":
            if message.tempo <= 0:  # 0 µs per beat: an infinite tempo
                raise InvalidMidiFile("tempo of zero")
            bpm = round(mido.tempo2bpm(message.tempo), 3)
            read.tempos.append(TempoChange(_scale(tick, ppq), bpm))
        elif message.type == "time_signature":
            read.signatures.append(
                TimeSignatureChange(_scale(tick, ppq), message.numerator, message.denominator)
            )
        elif message.type == "control_change" and message.control == SUSTAIN_CONTROL:
            if message.channel != PERCUSSION_CHANNEL and take_notes:
                pedal.read(message.channel, message.value, _scale(tick, ppq))
        elif message.type in ("note_on", "note_off"):
            if message.channel == PERCUSSION_CHANNEL or not take_notes:
                continue
            key = (message.channel, message.note)
            if message.type == "note_on" and message.velocity > 0:
                open_notes[key].append((tick, message.velocity))
            elif open_notes[key]:
                start, velocity = open_notes[key].popleft()
                read.notes.append(_note(start, tick, message.note, velocity, ppq))
    for (_, pitch), starts in open_notes.items():
        read.notes.extend(_note(start, tick, pitch, velocity, ppq) for start, velocity in starts)
    read.pedals = pedal.finish(_scale(tick, ppq))
    return read


def _tempo_map(tempos: list[TempoChange]) -> tuple[TempoChange, ...]:
    """Order tempo events into a map that starts at tick 0 and never repeats itself.

    Several events at one tick (e.g. in different tracks) leave the last one read; a file
    without a tempo at tick 0 plays at the MIDI default (120 BPM) until its first one.
    """
    at_tick = {0: DEFAULT_TEMPO_BPM} | {t.tick: t.tempo_bpm for t in sorted(tempos, key=_tick)}
    result: list[TempoChange] = []
    for tick in sorted(at_tick):
        if not result or result[-1].tempo_bpm != at_tick[tick]:
            result.append(TempoChange(tick, at_tick[tick]))
    return tuple(result)


def _signature_map(signatures: list[TimeSignatureChange]) -> tuple[TimeSignatureChange, ...]:
    """Order time-signature events like :func:`_tempo_map` (4/4 until the first one)."""
    at_tick = {0: TimeSignatureChange(0)} | {s.tick: s for s in sorted(signatures, key=_tick)}
    result: list[TimeSignatureChange] = []
    for tick in sorted(at_tick):
        change = at_tick[tick]
        if not result or result[-1].time_signature != change.time_signature:
            result.append(TimeSignatureChange(tick, change.numerator, change.denominator))
    return tuple(result)


def _tick(change: TempoChange | TimeSignatureChange) -> int:
    return change.tick


def _note(start: int, end: int, pitch: int, velocity: int, ppq: int) -> Note:
    start_tick = _scale(start, ppq)
    # A zero-length note would be invisible and inaudible; keep it as one tick.
    return Note(start_tick, max(1, _scale(end, ppq) - start_tick), pitch, velocity)


def write_text(text: str, max_bytes: int = MAX_TRACK_NAME_BYTES) -> str:
    """Return ``text`` as mido must be given it so the file holds its UTF-8 bytes.

    The MIDI standard leaves the text encoding open; UTF-8 is what DAWs, pretty_midi and
    browsers show. mido writes meta text as Latin-1, one byte per character, so the UTF-8
    bytes are passed in as the Latin-1 characters of the same values. mido's own charset
    switch is a process-wide global, unsafe with exports and imports in several threads.
    Text longer than ``max_bytes`` is cut at a character boundary. A reader that assumes
    Latin-1 shows odd accented letters instead of the title, but still opens the file.
    """
    raw = text.encode("utf-8")[:max_bytes].decode("utf-8", "ignore").encode("utf-8")
    return raw.decode("latin-1")


def read_text(text: str) -> str:
    """Undo :func:`write_text` for text mido read as Latin-1: UTF-8 when it is valid UTF-8.

    Older files in a legacy 8-bit encoding are not valid UTF-8 and stay as read.
    """
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _assign_channels(notes: Iterable[Note]) -> list[tuple[Note, int]]:
    """Give each note a channel so same-pitch notes never overlap on one channel.

    MIDI cannot tell two overlapping notes of one pitch and channel apart; spreading them
    over channels keeps the export exact when read back.
    """
    busy_until: dict[tuple[int, int], int] = {}
    placed: list[tuple[Note, int]] = []
    for note in sorted(notes, key=lambda n: (n.start_tick, n.pitch_midi, n.duration_ticks)):
        channel = next(
            (
                c
                for c in _MELODIC_CHANNELS
                if busy_until.get((c, note.pitch_midi), -1) <= note.start_tick
            ),
            _MELODIC_CHANNELS[-1],
        )
        busy_until[(channel, note.pitch_midi)] = note.start_tick + note.duration_ticks
        placed.append((note, channel))
    return placed


def export_midi(
    notes: Iterable[Note],
    tempo_bpm: float,
    time_signature: TimeSignature,
    title: str = "",
    *,
    tempo_changes: Iterable[TempoChange] = (),
    time_signature_changes: Iterable[TimeSignatureChange] = (),
    pedals: Iterable[PedalSpan] = (),
) -> bytes:
    """Write ``notes`` as a type 0 MIDI file at ``TICKS_PER_QUARTER`` pulses per quarter.

    ``pedals`` become controller 64 (127 down, 0 up) on every channel the notes use.

    ``tempo_bpm`` and ``time_signature`` are written at tick 0 and each later change at its
    tick, in the one track (where :func:`import_midi` reads them, as it reads every track).
    Reading the result with :func:`import_midi` gives back exactly the same notes and maps.
    ``title`` becomes the track name, in UTF-8 (see :func:`write_text`).

    Raises:
        MidiExportFailed: the notes or maps cannot be written as MIDI (nothing is returned).
    """
    try:
        return _write(
            notes,
            tempo_bpm,
            time_signature,
            title,
            tempo_changes=tempo_changes,
            time_signature_changes=time_signature_changes,
            pedals=pedals,
        )
    except (ValueError, TypeError, OverflowError) as exc:
        raise MidiExportFailed(type(exc).__name__) from exc


def _write(
    notes: Iterable[Note],
    tempo_bpm: float,
    time_signature: TimeSignature,
    title: str,
    *,
    tempo_changes: Iterable[TempoChange],
    time_signature_changes: Iterable[TimeSignatureChange],
    pedals: Iterable[PedalSpan],
) -> bytes:
    placed = _assign_channels(notes)
    spans = tuple(pedals)
    # A piece with pedal but no notes still needs a channel to carry it.
    channels = {c for _, c in placed} or ({_MELODIC_CHANNELS[0]} if spans else set())
    # (tick, order, message): tempo and metre first, then note-offs before note-ons at a tick.
    events: list[tuple[int, int, mido.Message | mido.MetaMessage]] = []
    for tempo in tempo_changes:
        events.append(
            (tempo.tick, -1, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo.tempo_bpm)))
        )
    for change in time_signature_changes:
        events.append(
            (
                change.tick,
                -1,
                mido.MetaMessage(
                    "time_signature", numerator=change.numerator, denominator=change.denominator
                ),
            )
        )
    for note, channel in placed:
        events.append(
            (
                note.start_tick,
                1,
                mido.Message(
                    "note_on", channel=channel, note=note.pitch_midi, velocity=note.velocity
                ),
            )
        )
        events.append(
            (
                note.start_tick + note.duration_ticks,
                0,
                mido.Message("note_off", channel=channel, note=note.pitch_midi, velocity=0),
            )
        )
    events.extend(pedal_events(spans, channels))
    events.sort(key=lambda e: (e[0], e[1]))
    track = mido.MidiTrack()
    if title:
        track.append(mido.MetaMessage("track_name", name=write_text(title), time=0))
    track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo_bpm), time=0))
    track.append(
        mido.MetaMessage(
            "time_signature",
            numerator=time_signature.numerator,
            denominator=time_signature.denominator,
            time=0,
        )
    )
    for channel in sorted(channels):
        track.append(mido.Message("program_change", channel=channel, program=0, time=0))
    previous = 0
    for tick, _, message in events:
        track.append(message.copy(time=tick - previous))
        previous = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    midi = mido.MidiFile(type=0, ticks_per_beat=TICKS_PER_QUARTER)
    midi.tracks.append(track)
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()
