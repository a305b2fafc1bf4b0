"""Note chunks: grouping by start, laying overlays over a base, when to fold them."""

from keycraft.services.domain import Note
from keycraft.services.note_chunks import (
    MAX_OVERLAY_CHUNKS,
    NOTE_CHUNK_TICKS,
    NoteChunksEdit,
    chunk_index,
    must_compact,
    overlay,
    split_chunks,
)

A = Note(0, 240, 60, 80)
B = Note(NOTE_CHUNK_TICKS - 1, 240, 62, 80)  # still in chunk 0, sounding into chunk 1
C = Note(NOTE_CHUNK_TICKS, 240, 64, 80)
D = Note(3 * NOTE_CHUNK_TICKS + 5, 240, 40, 80)


def test_a_note_belongs_to_the_chunk_its_start_falls_in() -> None:
    assert [chunk_index(n) for n in (A, B, C, D)] == [0, 0, 1, 3]


def test_split_groups_by_chunk_in_stored_order() -> None:
    assert split_chunks([D, C, B, A]) == {0: (A, B), 1: (C,), 3: (D,)}


def test_an_overlay_replaces_its_whole_chunk_and_leaves_the_others() -> None:
    moved = Note(10, 240, 70, 80)
    assert overlay((A, B, C, D), {0: (moved,), 3: ()}) == (moved, C)


def test_no_overlays_keep_the_base_as_stored() -> None:
    base = (C, A)
    assert overlay(base, {}) is base


def test_overlays_are_folded_once_past_the_most_kept() -> None:
    edit = NoteChunksEdit(((MAX_OVERLAY_CHUNKS, ()),), note_count=0)
    assert not must_compact(range(MAX_OVERLAY_CHUNKS - 1), edit)
    assert not must_compact(range(MAX_OVERLAY_CHUNKS), NoteChunksEdit(((0, ()),), 0))
    assert must_compact(range(MAX_OVERLAY_CHUNKS), edit)
