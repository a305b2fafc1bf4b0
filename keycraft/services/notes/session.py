"""One editor session's notes and pedal, selection-free operations, clipboard and undo history."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from keycraft.services.domain import Note, PedalSpan, ProjectTiming, pack_notes, unpack_notes
from keycraft.services.note_chunks import chunk_index, note_order
from keycraft.services.notes import edits
from keycraft.services.notes.edits import EditorNote, NoteChangeset, NoteMap, UndoHistory
from keycraft.services.notes.key import PITCH_CLASSES, note_weight
from keycraft.services.notes.pedal import check_pedals
from keycraft.services.notes.retime import retime_note, retime_pedals


@dataclass(frozen=True, slots=True)
class ServerEdit:
    """An edit made on the server that the browser must apply, and what to select after."""

    changeset: NoteChangeset
    select_ids: tuple[str, ...] | None = None


class EditingSession:
    """The notes being edited, keyed by ids stable for this session, and the pedal spans.

    Plain Python (picklable), so a Reflex state can keep it in a backend-only variable.
    Every method that changes notes or pedal records one undo step and returns what
    changed; note and pedal steps share one history, so undo takes them in order.
    """

    def __init__(self, notes: Iterable[Note] = (), pedals: Iterable[PedalSpan] = ()) -> None:
        self._notes: NoteMap = {}
        self._pedals: tuple[PedalSpan, ...] = check_pedals(pedals)
        self._history = UndoHistory()
        self._clipboard: tuple[Note, ...] = ()
        self._next_id = 0
        # Chunks (``note_chunks``) an edit touched since the last save took them.
        self._dirty_chunks: set[int] = set()
        # Each pitch class's sounding weight (duration times velocity), kept up to date
        # edit by edit so the key can be estimated after every edit without a pass over
        # every note. Ticks times velocity are whole numbers, which floats add exactly at
        # any size a project reaches, so the running sums do not drift.
        self._pitch_weights = [0.0] * PITCH_CLASSES
        self.replace_all(notes, record=False)
        self._dirty_chunks.clear()  # the notes as loaded are stored already

    # --- pickling ----------------------------------------------------------------------
    # Reflex pickles backend state after events; thousands of Note objects pickle slowly,
    # so the notes travel as one flat array of ints instead.
    def __getstate__(self) -> dict[str, object]:
        return {
            "ids": list(self._notes),
            "flat": pack_notes(self._notes.values()),
            "history": self._history,
            "clipboard": self._clipboard,
            "next_id": self._next_id,
            "pedals": [(p.start_tick, p.end_tick) for p in self._pedals],
            "dirty_chunks": sorted(self._dirty_chunks),
            "pitch_weights": list(self._pitch_weights),
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._notes = dict(zip(state["ids"], unpack_notes(state["flat"]), strict=True))
        self._history = state["history"]
        self._clipboard = state["clipboard"]
        self._next_id = state["next_id"]
        self._pedals = tuple(PedalSpan(start, end) for start, end in state.get("pedals", ()))
        self._dirty_chunks = set(state.get("dirty_chunks", ()))
        self._pitch_weights = state.get("pitch_weights") or self._weigh_every_note()

    # --- reading ----------------------------------------------------------------------
    @property
    def notes(self) -> NoteMap:
        """The current notes by id (do not mutate)."""
        return self._notes

    @property
    def pitch_class_weights(self) -> tuple[float, ...]:
        """How much each pitch class sounds in the notes (``key.pitch_class_weights``)."""
        return tuple(self._pitch_weights)

    def _weigh_every_note(self) -> list[float]:
        weights = [0.0] * PITCH_CLASSES
        for note in self._notes.values():
            pitch_class = note.pitch_midi % PITCH_CLASSES
            weights[pitch_class] += note_weight(note.duration_ticks, note.velocity)
        return weights

    @property
    def pedals(self) -> tuple[PedalSpan, ...]:
        """The sustain pedal spans, in time order."""
        return self._pedals

    @property
    def can_undo(self) -> bool:
        """Whether undo would change anything."""
        return self._history.can_undo

    @property
    def can_redo(self) -> bool:
        """Whether redo would change anything."""
        return self._history.can_redo

    @property
    def clipboard_size(self) -> int:
        """How many notes a paste would add."""
        return len(self._clipboard)

    def take_dirty_chunks(self) -> frozenset[int]:
        """The chunks edited since the last call (a save writes them); they count as clean now."""
        taken = frozenset(self._dirty_chunks)
        self._dirty_chunks.clear()
        return taken

    def restore_dirty_chunks(self, indexes: Iterable[int]) -> None:
        """Mark ``indexes`` edited again (the save that took them failed)."""
        self._dirty_chunks.update(indexes)

    def chunk_notes(self, indexes: Iterable[int]) -> tuple[tuple[int, tuple[Note, ...]], ...]:
        """Every note now in each of ``indexes``, as ``(chunk, notes)`` in chunk order."""
        wanted: dict[int, list[Note]] = {index: [] for index in sorted(indexes)}
        if wanted:
            for note in self._notes.values():
                group = wanted.get(chunk_index(note))
                if group is not None:
                    group.append(note)
        return tuple(
            (index, tuple(sorted(group, key=note_order))) for index, group in wanted.items()
        )

    def rows(self) -> list[dict[str, int | str]]:
        """Every note as a JSON-ready row, in time order."""
        ordered = sorted(self._notes.items(), key=lambda kv: (kv[1].start_tick, kv[1].pitch_midi))
        return [edits.note_to_row(i, n) for i, n in ordered]

    # --- changing ---------------------------------------------------------------------
    def _fresh_ids(self, count: int) -> list[str]:
        ids = [f"s{self._next_id + k}" for k in range(count)]
        self._next_id += count
        return ids

    def _apply(self, changeset: NoteChangeset, record: bool = True) -> NoteChangeset:
        backward = self._apply_step(changeset)
        if record:
            self._history.record(changeset, backward)
        return changeset

    def _apply_step(self, changeset: NoteChangeset) -> NoteChangeset:
        """Apply notes and pedal of ``changeset``; return the changeset that undoes it."""
        self._notes, backward = edits.apply_changeset(self._notes, changeset)
        # A note's old place (in ``backward``) and its new one both change stored chunks.
        for step in (changeset, backward):
            self._dirty_chunks.update(chunk_index(e.note) for e in step.upserts)
        # ``backward`` holds every note this step removed or replaced, ``changeset`` every
        # note it put in (an id twice leaves its first note in both, which cancels out).
        for step, sign in ((changeset, 1), (backward, -1)):
            for entry in step.upserts:
                note = entry.note
                weight = note_weight(note.duration_ticks, note.velocity)
                self._pitch_weights[note.pitch_midi % PITCH_CLASSES] += sign * weight
        if changeset.pedals is not None:
            backward = replace(backward, pedals=self._pedals)
            self._pedals = changeset.pedals
        # A ``timing`` is carried, not applied: the project's maps live with the caller,
        # which reads the timing off the undo or redo step (``retime`` records both).
        return backward

    def replace_all(
        self,
        notes: Iterable[Note],
        record: bool = True,
        pedals: Iterable[PedalSpan] | None = None,
        timing: tuple[ProjectTiming, ProjectTiming] | None = None,
    ) -> NoteChangeset:
        """Swap every note for ``notes`` (import, a fresh load); undoable when recorded.

        ``pedals``, when given, replaces the pedal spans in the same step; ``timing``, the
        (before, after) tempo and metre the notes are read in, makes undo and redo carry
        the maps each set of notes belongs to.
        """
        incoming = list(notes)
        changeset = NoteChangeset(
            upserts=tuple(
                EditorNote(i, n)
                for i, n in zip(self._fresh_ids(len(incoming)), incoming, strict=True)
            ),
            removed_ids=tuple(self._notes),
            pedals=None if pedals is None else check_pedals(pedals),
            timing=None if timing is None else timing[1],
        )
        if timing is None:
            return self._apply(changeset, record)
        backward = replace(self._apply_step(changeset), timing=timing[0])
        if record:
            self._history.record(changeset, backward)
        return changeset

    def set_pedals(self, pedals: Iterable[PedalSpan]) -> ServerEdit | None:
        """Replace the pedal spans (an edit the browser already shows); None if unchanged.

        Raises:
            InvalidPedal: spans that overlap or do not last.
        """
        checked = check_pedals(pedals)
        if checked == self._pedals:
            return None
        return ServerEdit(self._apply(NoteChangeset(pedals=checked)))

    def retime(self, before: ProjectTiming, after: ProjectTiming) -> ServerEdit:
        """Read the piece under ``after`` instead of ``before``: one undoable step.

        Every note and pedal span is re-placed to keep its real time (within a tick); the
        step carries both timings, so undo brings the old maps back with the old ticks.
        """
        old_map, new_map = before.tempo_map, after.tempo_map
        upserts = tuple(
            EditorNote(note_id, moved)
            for note_id, note in self._notes.items()
            if (moved := retime_note(note, old_map, new_map)) != note
        )
        pedals = retime_pedals(self._pedals, old_map, new_map)
        changeset = NoteChangeset(upserts=upserts, pedals=pedals, timing=after)
        backward = replace(self._apply_step(changeset), timing=before)
        self._history.record(changeset, backward)
        return ServerEdit(changeset, None)

    def commit(self, changeset: NoteChangeset) -> None:
        """Apply an edit the browser already shows (draw, move, resize, delete)."""
        self._apply(changeset)

    def undo(self) -> ServerEdit | None:
        """Undo the latest step; None when there is nothing to undo."""
        step = self._history.undo()
        if step is None:
            return None
        self._apply_step(step)
        return ServerEdit(step, _selection_after(step))

    def redo(self) -> ServerEdit | None:
        """Redo the latest undone step; None when there is nothing to redo."""
        step = self._history.redo()
        if step is None:
            return None
        self._apply_step(step)
        return ServerEdit(step, _selection_after(step))

    def _edit(
        self, ids: Sequence[str], make: Callable[[NoteMap, Sequence[str]], NoteChangeset]
    ) -> ServerEdit | None:
        changeset = make(self._notes, [i for i in ids if i in self._notes])
        if changeset.is_empty():
            return None
        self._apply(changeset)
        return ServerEdit(changeset, tuple(e.id for e in changeset.upserts))

    def transpose(self, ids: Sequence[str], semitones: int) -> ServerEdit | None:
        """Move the notes ``ids`` by ``semitones``."""
        return self._edit(ids, lambda notes, chosen: edits.transpose(notes, chosen, semitones))

    def quantize(self, ids: Sequence[str], step_ticks: int) -> ServerEdit | None:
        """Snap the notes ``ids`` onto the grid."""
        return self._edit(ids, lambda notes, chosen: edits.quantize(notes, chosen, step_ticks))

    def set_velocity(self, ids: Sequence[str], velocity: int) -> ServerEdit | None:
        """Give the notes ``ids`` one velocity."""
        return self._edit(ids, lambda notes, chosen: edits.set_velocity(notes, chosen, velocity))

    def delete(self, ids: Sequence[str]) -> ServerEdit | None:
        """Remove the notes ``ids``."""
        present = tuple(i for i in ids if i in self._notes)
        if not present:
            return None
        return ServerEdit(self._apply(NoteChangeset(removed_ids=present)), ())

    def copy(self, ids: Sequence[str]) -> int:
        """Put the notes ``ids`` on the clipboard; return how many."""
        chosen = [self._notes[i] for i in ids if i in self._notes]
        if chosen:
            self._clipboard = tuple(sorted(chosen, key=lambda n: (n.start_tick, n.pitch_midi)))
        return len(chosen)

    def cut(self, ids: Sequence[str]) -> ServerEdit | None:
        """Copy then delete the notes ``ids``."""
        self.copy(ids)
        return self.delete(ids)

    def paste(self, at_tick: int) -> ServerEdit | None:
        """Add the clipboard's notes with the earliest at ``at_tick``; select them."""
        if not self._clipboard:
            return None
        upserts = edits.copies_at(self._clipboard, at_tick, self._fresh_ids(len(self._clipboard)))
        changeset = self._apply(NoteChangeset(upserts=upserts))
        return ServerEdit(changeset, tuple(e.id for e in upserts))

    def duplicate(self, ids: Sequence[str]) -> ServerEdit | None:
        """Copy the notes ``ids`` to just after their own end; select the copies."""
        chosen = [self._notes[i] for i in ids if i in self._notes]
        if not chosen:
            return None
        start = min(n.start_tick for n in chosen)
        end = max(n.start_tick + n.duration_ticks for n in chosen)
        upserts = edits.copies_at(chosen, start + (end - start), self._fresh_ids(len(chosen)))
        changeset = self._apply(NoteChangeset(upserts=upserts))
        return ServerEdit(changeset, tuple(e.id for e in upserts))

    def replace_range(
        self, start_tick: int, end_tick: int, incoming: Iterable[Note]
    ) -> ServerEdit | None:
        """Replace the notes starting in ``[start_tick, end_tick)`` by ``incoming`` ones there."""
        notes = list(incoming)
        changeset = edits.replace_range(
            self._notes, start_tick, end_tick, notes, self._fresh_ids(len(notes))
        )
        if changeset.is_empty():
            return None
        self._apply(changeset)
        return ServerEdit(changeset, tuple(e.id for e in changeset.upserts))


def _selection_after(step: NoteChangeset) -> tuple[str, ...] | None:
    """The notes an undo or redo selects: those it brings back (None keeps the selection)."""
    if step.timing is not None or (not step.upserts and not step.removed_ids):
        return None  # a re-reading moves every note: it keeps the selection
    return tuple(e.id for e in step.upserts)
