"""Notes stored in time chunks, so an editor save writes only the chunks an edit touched.

A project's notes are stored as a *base* (every note, written by a whole-project save) and
*chunk overlays*: each overlay holds every note now starting in one stretch of
``NOTE_CHUNK_TICKS`` and replaces whatever the base held there. An editor save writes the
overlays of the chunks its edits touched (a few hundred bytes for a small edit), whatever the
size of the piece; once more than ``MAX_OVERLAY_CHUNKS`` overlays exist, the adapter folds them
into a new base (compaction), so a read never joins more than that many.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from keycraft.services.domain import TICKS_PER_QUARTER, Note

NOTE_CHUNK_TICKS = TICKS_PER_QUARTER * 4 * 4
"""Four bars of 4/4 (8 s at 120 BPM): a dense passage (20 notes a second) fills a chunk
with about 160 notes, under 1 KB compressed, which is one DynamoDB write unit."""

MAX_OVERLAY_CHUNKS = 48
"""Overlays a project keeps before they are folded into its base. A DynamoDB transaction
holds at most 100 writes: compaction deletes up to this many overlays beside the metadata
and base items, and an edit writes up to this many overlays in one transaction."""


@dataclass(frozen=True, slots=True)
class NoteChunksEdit:
    """What an editor save stores of the notes: the chunks it touched, each whole.

    ``chunks`` pairs a chunk index with every note now starting in that chunk (an empty
    tuple: the chunk is now empty); ``note_count`` is the project's count after the edit.
    ``content_changed`` says whether the pedal, tempo and metre maps and beat track changed
    too (they are written only then).
    """

    chunks: tuple[tuple[int, tuple[Note, ...]], ...]
    note_count: int
    content_changed: bool = True

    @property
    def indexes(self) -> frozenset[int]:
        """The chunks this save writes."""
        return frozenset(index for index, _ in self.chunks)


def chunk_index(note: Note) -> int:
    """The chunk a note belongs to: the stretch its start falls in."""
    return note.start_tick // NOTE_CHUNK_TICKS


def note_order(note: Note) -> tuple[int, int, int]:
    """The order stored notes come in: by start, then pitch, then duration."""
    return (note.start_tick, note.pitch_midi, note.duration_ticks)


def split_chunks(notes: Iterable[Note]) -> dict[int, tuple[Note, ...]]:
    """Group ``notes`` by chunk, each chunk in stored order."""
    grouped: dict[int, list[Note]] = {}
    for note in notes:
        grouped.setdefault(chunk_index(note), []).append(note)
    return {index: tuple(sorted(group, key=note_order)) for index, group in grouped.items()}


def overlay(base: tuple[Note, ...], chunks: Mapping[int, tuple[Note, ...]]) -> tuple[Note, ...]:
    """The notes of ``base`` with each chunk in ``chunks`` replaced by its overlay.

    With no overlays the base comes back as stored (its order untouched).
    """
    if not chunks:
        return base
    kept = [note for note in base if chunk_index(note) not in chunks]
    for notes in chunks.values():
        kept.extend(notes)
    return tuple(sorted(kept, key=note_order))


def must_compact(stored: Iterable[int], edit: NoteChunksEdit) -> bool:
    """Whether a save of ``edit`` over overlays ``stored`` must fold them into the base."""
    return len(set(stored) | edit.indexes) > MAX_OVERLAY_CHUNKS
