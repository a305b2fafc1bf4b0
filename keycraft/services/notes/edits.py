"""Editor commits: notes with stable ids, change sets, their inverses and the undo history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from keycraft.services.domain import Note, PedalSpan, ProjectTiming
from keycraft.services.errors import DomainError
from keycraft.services.notes.grid import quantize_note

MAX_TICK = 480 * 4 * 2000
"""About 2,000 bars of 4/4: far beyond any piece, small enough to catch garbage input."""

MAX_NOTES = 20_000
"""The most notes one project may hold."""

UNDO_BUDGET_BYTES = 4 * 1024 * 1024
"""Memory the undo history of one open editor may hold, oldest steps dropped first (the
latest is always kept). 4 MiB keeps about 5,000 single-note edits, or a few whole-piece
edits of a 3,000-note piece (about 1.4 MB each), so learners undo far back, while a worker
serving 50 open editors spends at most 200 MB on undo; the pickled history Reflex writes to
Redis after each event is about a fifth of it."""

NOTE_RECORD_BYTES = 232
"""One note in a step, as CPython holds it: ``EditorNote`` 48, ``Note`` 64, its id string
about 55, a large start tick 28, and the tuple slot 8 (``sys.getsizeof``, 64-bit)."""
ID_RECORD_BYTES = 64
"""One removed note's id string and its tuple slot."""
PEDAL_RECORD_BYTES = 112
"""One ``PedalSpan`` with its two tick ints and tuple slot."""
MAP_RECORD_BYTES = 112
"""One tempo or time-signature change, or tracked beat, of a step's timing."""
STEP_OVERHEAD_BYTES = 400
"""A step's own objects: the step, its two changesets and their tuples."""


class InvalidEdit(DomainError):
    """A commit named a note outside the allowed ranges or was malformed."""


class TooManyNotes(DomainError):
    """A commit would take the project past ``MAX_NOTES``."""


@dataclass(frozen=True, slots=True)
class EditorNote:
    """A note as the editor knows it: the stored note plus an id stable for this session."""

    id: str
    note: Note


@dataclass(frozen=True, slots=True)
class NoteChangeset:
    """One coarse edit: notes added or replaced, notes removed (by id), the new pedal line.

    ``pedals`` holds every sustain-pedal span after the edit, or ``None`` when the edit
    leaves the pedal alone; ``timing`` likewise the tempo and metre maps after an edit
    that re-reads the piece (a metre or first-downbeat correction).
    """

    upserts: tuple[EditorNote, ...] = ()
    removed_ids: tuple[str, ...] = ()
    pedals: tuple[PedalSpan, ...] | None = None
    timing: ProjectTiming | None = None

    def is_empty(self) -> bool:
        """Whether applying this changes nothing."""
        return (
            not self.upserts
            and not self.removed_ids
            and self.pedals is None
            and self.timing is None
        )

    def __getstate__(self) -> tuple[object, ...]:
        """Pickle as a tuple of the fields (as dataclasses with slots do)."""
        return (self.upserts, self.removed_ids, self.pedals, self.timing)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        """Unpickle; a changeset pickled before ``pedals`` or ``timing`` leaves them alone."""
        upserts, removed_ids, *rest = state
        object.__setattr__(self, "upserts", upserts)
        object.__setattr__(self, "removed_ids", removed_ids)
        object.__setattr__(self, "pedals", rest[0] if rest else None)
        object.__setattr__(self, "timing", rest[1] if len(rest) > 1 else None)


NoteMap = dict[str, Note]
"""The editor's notes keyed by their ids."""


def validate_note(note: Note) -> Note:
    """Return ``note`` if every field is in range; raise ``InvalidEdit`` otherwise."""
    if not (
        0 <= note.start_tick <= MAX_TICK
        and 1 <= note.duration_ticks <= MAX_TICK
        and 0 <= note.pitch_midi <= 127
        and 1 <= note.velocity <= 127
    ):
        raise InvalidEdit(repr(note))
    return note


def _int_field(row: Mapping[str, Any], name: str) -> int:
    value = row.get(name)
    # bool is an int subclass; a JSON true must not become a velocity of 1.
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise InvalidEdit(f"{name} must be a whole number")
    return int(value)


def note_from_row(row: Mapping[str, Any]) -> EditorNote:
    """Parse one ``{id, start_tick, duration_ticks, pitch_midi, velocity}`` row from the client."""
    note_id = row.get("id")
    if not isinstance(note_id, str) or not 0 < len(note_id) <= 64:
        raise InvalidEdit("note id")
    note = Note(
        start_tick=_int_field(row, "start_tick"),
        duration_ticks=_int_field(row, "duration_ticks"),
        pitch_midi=_int_field(row, "pitch_midi"),
        velocity=_int_field(row, "velocity"),
    )
    return EditorNote(note_id, validate_note(note))


def changeset_from_payload(payload: Mapping[str, Any]) -> NoteChangeset:
    """Parse a commit event ``{"upserts": [row...], "removed_ids": [id...]}`` from the client."""
    upserts = payload.get("upserts") or []
    removed = payload.get("removed_ids") or []
    if not isinstance(upserts, list) or not isinstance(removed, list):
        raise InvalidEdit("changeset shape")
    if not all(isinstance(i, str) for i in removed):
        raise InvalidEdit("removed ids")
    return NoteChangeset(tuple(note_from_row(r) for r in upserts), tuple(removed))


def note_to_row(note_id: str, note: Note) -> dict[str, int | str]:
    """Return the JSON row the client understands for one note."""
    return {
        "id": note_id,
        "start_tick": note.start_tick,
        "duration_ticks": note.duration_ticks,
        "pitch_midi": note.pitch_midi,
        "velocity": note.velocity,
    }


def changeset_to_payload(changeset: NoteChangeset) -> dict[str, Any]:
    """Inverse of :func:`changeset_from_payload`, with ``pedals`` rows when the pedal changes."""
    payload: dict[str, Any] = {
        "upserts": [note_to_row(e.id, e.note) for e in changeset.upserts],
        "removed_ids": list(changeset.removed_ids),
    }
    if changeset.pedals is not None:
        payload["pedals"] = pedal_rows(changeset.pedals)
    return payload


def pedal_rows(spans: Iterable[PedalSpan]) -> list[dict[str, int]]:
    """The JSON rows ``{start_tick, end_tick}`` the client understands for pedal spans."""
    return [{"start_tick": p.start_tick, "end_tick": p.end_tick} for p in spans]


def pedals_from_payload(payload: Mapping[str, Any]) -> tuple[PedalSpan, ...]:
    """Parse a pedal event ``{"pedals": [{start_tick, end_tick}...]}`` from the client.

    Only the shape is checked here; ``check_pedals`` says whether the spans may be stored.
    """
    rows = payload.get("pedals")
    if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
        raise InvalidEdit("pedal shape")
    spans = tuple(PedalSpan(_int_field(r, "start_tick"), _int_field(r, "end_tick")) for r in rows)
    if any(not 0 <= p.start_tick < p.end_tick <= MAX_TICK for p in spans):
        raise InvalidEdit("pedal range")
    return spans


def apply_changeset(notes: NoteMap, changeset: NoteChangeset) -> tuple[NoteMap, NoteChangeset]:
    """Apply ``changeset`` to ``notes`` without mutating them.

    Returns:
        The new note map and the changeset that undoes this one. Removing an unknown id
        is ignored (it was already gone); nothing is applied if the result is too large.
    """
    result = dict(notes)
    undo_upserts: list[EditorNote] = []
    undo_removed: list[str] = []
    for note_id in changeset.removed_ids:
        old = result.pop(note_id, None)
        if old is not None:
            undo_upserts.append(EditorNote(note_id, old))
    for entry in changeset.upserts:
        old = result.get(entry.id)
        if old is None:
            undo_removed.append(entry.id)
        else:
            undo_upserts.append(EditorNote(entry.id, old))
        result[entry.id] = validate_note(entry.note)
    if len(result) > MAX_NOTES and len(result) > len(notes):
        raise TooManyNotes(str(len(result)))
    return result, NoteChangeset(tuple(undo_upserts), tuple(undo_removed))


def _changed(notes: NoteMap, ids: Iterable[str], edit: Any) -> NoteChangeset:
    upserts = [EditorNote(i, validate_note(edit(notes[i]))) for i in ids if i in notes]
    return NoteChangeset(tuple(upserts))


def transpose(notes: NoteMap, ids: Iterable[str], semitones: int) -> NoteChangeset:
    """Move the notes ``ids`` by ``semitones``; raise ``InvalidEdit`` if any leaves 0–127."""
    return _changed(notes, ids, lambda n: replace(n, pitch_midi=n.pitch_midi + semitones))


def shift(notes: NoteMap, ids: Iterable[str], delta_ticks: int) -> NoteChangeset:
    """Move the notes ``ids`` in time; raise ``InvalidEdit`` if any would start before 0."""
    return _changed(notes, ids, lambda n: replace(n, start_tick=n.start_tick + delta_ticks))


def set_velocity(notes: NoteMap, ids: Iterable[str], velocity: int) -> NoteChangeset:
    """Give the notes ``ids`` one velocity (1–127)."""
    return _changed(notes, ids, lambda n: replace(n, velocity=velocity))


def quantize(notes: NoteMap, ids: Iterable[str], step_ticks: int) -> NoteChangeset:
    """Snap the notes ``ids`` onto a grid of ``step_ticks``."""
    return _changed(notes, ids, lambda n: quantize_note(n, step_ticks))


def copies_at(
    source: Iterable[Note], start_tick: int, new_ids: Iterable[str]
) -> tuple[EditorNote, ...]:
    """Return copies of ``source`` moved so the earliest starts at ``start_tick``.

    Args:
        source: The notes to copy (e.g. a clipboard).
        start_tick: Where the earliest copied note begins.
        new_ids: Fresh ids, one per note, in the order of ``source``.
    """
    notes = list(source)
    if not notes:
        return ()
    offset = start_tick - min(n.start_tick for n in notes)
    return tuple(
        EditorNote(i, validate_note(replace(n, start_tick=n.start_tick + offset)))
        for i, n in zip(new_ids, notes, strict=False)
    )


def replace_range(
    notes: NoteMap,
    start_tick: int,
    end_tick: int,
    incoming: Iterable[Note],
    new_ids: Iterable[str],
) -> NoteChangeset:
    """Replace the notes starting in ``[start_tick, end_tick)`` by ``incoming`` ones there.

    Notes outside the range (e.g. manual edits) are kept; incoming notes outside it are
    ignored. Used by re-transcription of a chosen time range.
    """
    removed = tuple(i for i, n in notes.items() if start_tick <= n.start_tick < end_tick)
    kept = [n for n in incoming if start_tick <= n.start_tick < end_tick]
    upserts = tuple(EditorNote(i, validate_note(n)) for i, n in zip(new_ids, kept, strict=False))
    return NoteChangeset(upserts, removed)


def changeset_bytes(changeset: NoteChangeset) -> int:
    """Memory a changeset holds in the undo history (its records times their sizes)."""
    timing = changeset.timing
    map_records = (
        0
        if timing is None
        else len(timing.tempo_changes)
        + len(timing.time_signature_changes)
        + len(timing.beat_track.beats)
    )
    return (
        len(changeset.upserts) * NOTE_RECORD_BYTES
        + len(changeset.removed_ids) * ID_RECORD_BYTES
        + len(changeset.pedals or ()) * PEDAL_RECORD_BYTES
        + map_records * MAP_RECORD_BYTES
    )


@dataclass(frozen=True, slots=True)
class HistoryStep:
    """One undoable edit: how to redo it and how to undo it.

    Both are deltas: only the notes the edit touched (the backward one holds their earlier
    values, or the ids to remove again), never a copy of the whole piece.
    """

    forward: NoteChangeset
    backward: NoteChangeset

    @property
    def size_bytes(self) -> int:
        """The memory the step holds, estimated from its records (see ``UNDO_BUDGET_BYTES``)."""
        return STEP_OVERHEAD_BYTES + changeset_bytes(self.forward) + changeset_bytes(self.backward)


class UndoHistory:
    """An undo/redo history of note changesets bounded by memory (oldest steps fall off)."""

    def __init__(self, budget_bytes: int = UNDO_BUDGET_BYTES) -> None:
        self._budget_bytes = budget_bytes
        self._done: list[HistoryStep] = []
        self._undone: list[HistoryStep] = []

    @property
    def can_undo(self) -> bool:
        """Whether there is a step to undo."""
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone step to redo."""
        return bool(self._undone)

    @property
    def held_bytes(self) -> int:
        """The memory the steps that can be undone or redone hold."""
        return sum(step.size_bytes for step in (*self._done, *self._undone))

    def record(self, forward: NoteChangeset, backward: NoteChangeset) -> None:
        """Remember an applied edit; a new edit forgets everything that was undone.

        The oldest steps are dropped until the history fits its budget; the step just
        recorded is always kept, however big.
        """
        if forward.is_empty():
            return
        self._done.append(HistoryStep(forward, backward))
        self._undone.clear()
        # Histories pickled before the byte budget carry none: they take the default.
        budget = getattr(self, "_budget_bytes", UNDO_BUDGET_BYTES)
        held = sum(step.size_bytes for step in self._done)
        dropped = 0
        while len(self._done) - dropped > 1 and held > budget:
            held -= self._done[dropped].size_bytes
            dropped += 1
        del self._done[:dropped]

    def undo(self) -> NoteChangeset | None:
        """Return the changeset that undoes the latest step, moving it to the redo list."""
        if not self._done:
            return None
        step = self._done.pop()
        self._undone.append(step)
        return step.backward

    def redo(self) -> NoteChangeset | None:
        """Return the changeset that redoes the latest undone step."""
        if not self._undone:
            return None
        step = self._undone.pop()
        self._done.append(step)
        return step.forward

    def clear(self) -> None:
        """Forget every step (after a reload or a whole-project replacement)."""
        self._done.clear()
        self._undone.clear()
