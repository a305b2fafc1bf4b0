"""Domain types shared by services and repository adapters; units live in the names."""

from __future__ import annotations

import json
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime

from keycraft.services.project_settings import ProjectSettings

TICKS_PER_QUARTER = 480
"""Editor and MIDI resolution: pulses per quarter note."""

DEFAULT_TEMPO_BPM = 120.0


@dataclass(frozen=True, slots=True)
class User:
    """A KeyCraft account."""

    id: str
    email: str
    name: str
    created_at: datetime
    password_hash: str | None = None
    email_verified: bool = False
    role: str = "user"
    has_paid: bool = False
    active_plans: tuple[str, ...] = ()
    stripe_customer_id: str | None = None
    subscription_id: str | None = None
    subscription_status: str | None = None
    subscription_plan: str | None = None
    current_period_end: datetime | None = None
    cancel_at_period_end: bool = False
    subscription_updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DownloadQuota:
    """A user's MIDI download counters for the current monthly window."""

    user_id: str
    used: int
    reset_date: datetime
    total_downloads: int
    anchor_at: datetime


@dataclass(frozen=True, slots=True)
class QuotaDecision:
    """The outcome of one attempt to consume a download."""

    granted: bool
    used: int
    limit: int
    reset_date: datetime
    total_downloads: int


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in browser session; only the hash of its token is ever stored."""

    token_hash: str
    user_id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    user_agent: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    """One note in a piano part, positioned in ticks (``TICKS_PER_QUARTER`` per beat)."""

    start_tick: int
    duration_ticks: int
    pitch_midi: int
    velocity: int


@dataclass(frozen=True, slots=True)
class TimeSignature:
    """A time signature such as 3/4."""

    numerator: int = 4
    denominator: int = 4


@dataclass(frozen=True, slots=True)
class TempoChange:
    """A tempo, in quarter notes per minute, that takes effect at ``tick``."""

    tick: int
    tempo_bpm: float


@dataclass(frozen=True, slots=True)
class TimeSignatureChange:
    """A time signature that takes effect at ``tick``; it starts a new bar there."""

    tick: int
    numerator: int = 4
    denominator: int = 4

    @property
    def time_signature(self) -> TimeSignature:
        """The signature itself, without its position."""
        return TimeSignature(self.numerator, self.denominator)


@dataclass(frozen=True, slots=True)
class PedalSpan:
    """The sustain pedal held down from ``start_tick`` until ``end_tick`` (exclusive).

    While it is down, released keys keep sounding; MIDI files carry it as controller 64.
    """

    start_tick: int
    end_tick: int


@dataclass(frozen=True, slots=True)
class TrackedBeat:
    """A beat heard in the recording, ``time_s`` from its start; a downbeat starts a bar."""

    time_s: float
    downbeat: bool = False


@dataclass(frozen=True, slots=True)
class BeatTrack:
    """The beats tracked in a project's recording and how the learner reads them.

    ``meter`` is the metre the bars are counted in, ``first_downbeat_index`` the tracked beat
    where bar 1 (after any pickup) starts, and ``follow`` whether the tempo follows every
    beat of the performance (else one tempo, the typical beat, holds for the whole piece).
    No ``beats`` means nothing was tracked: the project keeps its own tempo map.
    """

    beats: tuple[TrackedBeat, ...] = ()
    meter: TimeSignature = field(default_factory=TimeSignature)
    first_downbeat_index: int = 0
    follow: bool = True


@dataclass(frozen=True, slots=True)
class ProjectTiming:
    """How a project's ticks are read: tempo and metre maps plus the beats they came from."""

    tempo_bpm: float
    time_signature: TimeSignature
    tempo_changes: tuple[TempoChange, ...] = ()
    time_signature_changes: tuple[TimeSignatureChange, ...] = ()
    beat_track: BeatTrack = field(default_factory=BeatTrack)

    @property
    def tempo_map(self) -> tuple[TempoChange, ...]:
        """Every tempo, the first at tick 0."""
        return (TempoChange(0, self.tempo_bpm), *self.tempo_changes)


@dataclass(frozen=True, slots=True)
class ProjectSummary:
    """What a project list shows, without the notes."""

    id: str
    user_id: str
    title: str
    note_count: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Project:
    """A piece being edited: notes plus the tempo and metre they are read in.

    ``tempo_bpm`` and ``time_signature`` hold from tick 0; ``tempo_changes`` and
    ``time_signature_changes`` are the later changes, at increasing ticks above 0 (empty for
    a piece in one tempo and metre). ``tempo_map`` and ``time_signature_map`` join the two.
    """

    id: str
    user_id: str
    title: str
    created_at: datetime
    updated_at: datetime
    tempo_bpm: float = DEFAULT_TEMPO_BPM
    time_signature: TimeSignature = field(default_factory=TimeSignature)
    notes: tuple[Note, ...] = ()
    source_audio_key: str | None = None
    version: int = 1
    tempo_changes: tuple[TempoChange, ...] = ()
    time_signature_changes: tuple[TimeSignatureChange, ...] = ()
    pedals: tuple[PedalSpan, ...] = ()
    """Sustain pedal spans, ordered and never overlapping (``check_pedals``)."""
    beat_track: BeatTrack = field(default_factory=BeatTrack)
    """The recording's tracked beats and the metre the learner reads them in."""
    settings: ProjectSettings = field(default_factory=ProjectSettings)
    """Practice and view settings: written by ``create_project`` and changed only by
    ``save_project_settings``; ``save_project`` keeps the stored ones, so a notes save never
    undoes a settings change."""
    key_name: str | None = None
    """The key the learner chose (``notes.key.MusicalKey.key_id``, e.g. "F# major"), or None
    to use the key estimated from the notes. Like the settings, written by ``create_project``
    and ``save_project_key`` only."""

    # Reflex pickles the open editor's state after events, on the event loop: 20,000 Note
    # objects took 80–170 ms there, so the notes travel as one flat array of ints instead.
    def __reduce__(self) -> tuple[object, ...]:
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "notes"}
        return (_unpickle_project, (values, pack_notes(self.notes)))

    @property
    def tempo_map(self) -> tuple[TempoChange, ...]:
        """Every tempo of the piece, the first at tick 0."""
        return (TempoChange(0, self.tempo_bpm), *self.tempo_changes)

    @property
    def time_signature_map(self) -> tuple[TimeSignatureChange, ...]:
        """Every time signature of the piece, the first at tick 0."""
        first = self.time_signature
        return (
            TimeSignatureChange(0, first.numerator, first.denominator),
            *self.time_signature_changes,
        )

    @property
    def timing(self) -> ProjectTiming:
        """The tempo and metre maps and tracked beats, together."""
        return ProjectTiming(
            self.tempo_bpm,
            self.time_signature,
            self.tempo_changes,
            self.time_signature_changes,
            self.beat_track,
        )

    def with_timing(self, timing: ProjectTiming) -> Project:
        """This project read under ``timing`` (its ticks unchanged)."""
        return replace(
            self,
            tempo_bpm=timing.tempo_bpm,
            time_signature=timing.time_signature,
            tempo_changes=timing.tempo_changes,
            time_signature_changes=timing.time_signature_changes,
            beat_track=timing.beat_track,
        )

    def summary(self) -> ProjectSummary:
        """Return the list-view summary of this project."""
        return ProjectSummary(
            id=self.id,
            user_id=self.user_id,
            title=self.title,
            note_count=len(self.notes),
            created_at=self.created_at,
            updated_at=self.updated_at,
        )


def pack_notes(notes: Iterable[Note]) -> bytes:
    """Notes as one flat array of ints: pickles in a fraction of the time of Note objects.

    For state kept between events in this process only (``encode_notes`` is the stored form).
    """
    flat = array("q")
    for note in notes:
        flat.extend((note.start_tick, note.duration_ticks, note.pitch_midi, note.velocity))
    return flat.tobytes()


def unpack_notes(packed: bytes) -> tuple[Note, ...]:
    """The notes ``pack_notes`` packed, in the same order."""
    flat = array("q")
    flat.frombytes(packed)
    return tuple(Note(*flat[i : i + 4]) for i in range(0, len(flat), 4))


def _unpickle_project(values: dict[str, object], packed_notes: bytes) -> Project:
    """Rebuild a ``Project`` pickled by ``Project.__reduce__``."""
    return Project(notes=unpack_notes(packed_notes), **values)  # type: ignore[arg-type]


def encode_notes(notes: tuple[Note, ...] | list[Note]) -> bytes:
    """Pack notes compactly (zlib-compressed JSON rows) for storage.

    Compact rows keep a 3,000-note project far below DynamoDB's 400 KB item limit.
    """
    rows = [[n.start_tick, n.duration_ticks, n.pitch_midi, n.velocity] for n in notes]
    return zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 6)


def decode_notes(blob: bytes) -> tuple[Note, ...]:
    """Inverse of :func:`encode_notes`."""
    if not blob:
        return ()
    rows = json.loads(zlib.decompress(blob))
    return tuple(Note(int(s), int(d), int(p), int(v)) for s, d, p, v in rows)


def encode_tempo_changes(changes: tuple[TempoChange, ...] | list[TempoChange]) -> str:
    """Pack tempo changes as compact JSON ``[[tick, tempo_bpm], ...]`` for storage."""
    return json.dumps([[c.tick, c.tempo_bpm] for c in changes], separators=(",", ":"))


def decode_tempo_changes(text: str | None) -> tuple[TempoChange, ...]:
    """Inverse of :func:`encode_tempo_changes`; empty or missing text is no changes."""
    if not text:
        return ()
    return tuple(TempoChange(int(tick), float(bpm)) for tick, bpm in json.loads(text))


def encode_pedals(spans: tuple[PedalSpan, ...] | list[PedalSpan]) -> str:
    """Pack pedal spans as compact JSON ``[[start_tick, end_tick], ...]`` for storage."""
    return json.dumps([[p.start_tick, p.end_tick] for p in spans], separators=(",", ":"))


def decode_pedals(text: str | None) -> tuple[PedalSpan, ...]:
    """Inverse of :func:`encode_pedals`; empty or missing text is no pedalling."""
    if not text:
        return ()
    return tuple(PedalSpan(int(start), int(end)) for start, end in json.loads(text))


def encode_time_signature_changes(
    changes: tuple[TimeSignatureChange, ...] | list[TimeSignatureChange],
) -> str:
    """Pack time-signature changes as compact JSON ``[[tick, numerator, denominator], ...]``."""
    rows = [[c.tick, c.numerator, c.denominator] for c in changes]
    return json.dumps(rows, separators=(",", ":"))


def decode_time_signature_changes(text: str | None) -> tuple[TimeSignatureChange, ...]:
    """Inverse of :func:`encode_time_signature_changes`; empty text is no changes."""
    if not text:
        return ()
    return tuple(TimeSignatureChange(int(t), int(n), int(d)) for t, n, d in json.loads(text))


def encode_beat_track(track: BeatTrack) -> str:
    """Pack a beat track as compact JSON (beat times to 0.1 ms); no beats is ``""``."""
    if not track.beats:
        return ""
    body = {
        "beats": [[round(b.time_s, 4), 1 if b.downbeat else 0] for b in track.beats],
        "meter": [track.meter.numerator, track.meter.denominator],
        "first_downbeat": track.first_downbeat_index,
        "follow": track.follow,
    }
    return json.dumps(body, separators=(",", ":"))


def decode_beat_track(text: str | None) -> BeatTrack:
    """Inverse of :func:`encode_beat_track`; empty or missing text is no tracked beats."""
    if not text:
        return BeatTrack()
    body = json.loads(text)
    numerator, denominator = body["meter"]
    return BeatTrack(
        beats=tuple(TrackedBeat(float(t), bool(d)) for t, d in body["beats"]),
        meter=TimeSignature(int(numerator), int(denominator)),
        first_downbeat_index=int(body["first_downbeat"]),
        follow=bool(body["follow"]),
    )
