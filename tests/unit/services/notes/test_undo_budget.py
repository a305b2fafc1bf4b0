"""The undo history is bounded by the memory its steps hold, oldest steps dropped first."""

import tracemalloc

from keycraft.services.domain import Note, PedalSpan
from keycraft.services.notes.edits import (
    UNDO_BUDGET_BYTES,
    EditorNote,
    HistoryStep,
    NoteChangeset,
    UndoHistory,
    apply_changeset,
    transpose,
)

PIECE = {f"s{i}": Note(100_000 + i * 240, 240 + i, 21 + i % 88, 64) for i in range(3000)}


def _whole_transpose(notes: dict[str, Note], semitones: int) -> tuple[NoteChangeset, ...]:
    forward = transpose(notes, list(notes), semitones)
    _, backward = apply_changeset(notes, forward)
    return forward, backward


def test_oldest_steps_are_dropped_once_the_budget_is_passed() -> None:
    one_step = HistoryStep(*_whole_transpose(PIECE, 1)).size_bytes
    history = UndoHistory(budget_bytes=3 * one_step)
    notes = PIECE
    for _ in range(5):
        forward, backward = _whole_transpose(notes, 1)
        history.record(forward, backward)
        notes, _ = apply_changeset(notes, forward)
    assert history.held_bytes <= 3 * one_step
    undone = 0
    while (step := history.undo()) is not None:
        notes, _ = apply_changeset(notes, step)
        undone += 1
    assert undone == 3
    # The two oldest transpositions were dropped: undo stops two semitones up.
    assert notes["s0"].pitch_midi == PIECE["s0"].pitch_midi + 2


def test_the_latest_step_is_kept_even_over_the_budget() -> None:
    history = UndoHistory(budget_bytes=1000)
    history.record(*_whole_transpose(PIECE, 1))
    history.record(*_whole_transpose(PIECE, 2))
    assert history.held_bytes > 1000
    assert history.undo() is not None and history.undo() is None


def test_the_default_budget_holds_thousands_of_small_edits() -> None:
    history = UndoHistory()
    notes = PIECE
    for i in range(6000):
        forward, backward = _whole_transpose({"s1": notes["s1"]}, 1 if i % 2 else -1)
        history.record(forward, backward)
    assert history.held_bytes <= UNDO_BUDGET_BYTES
    kept = 0
    while history.undo() is not None:
        kept += 1
    assert 4000 < kept < 6000


def test_pedal_and_removals_count_too() -> None:
    pedals = tuple(PedalSpan(i * 1000, i * 1000 + 500) for i in range(100))
    with_pedal = HistoryStep(NoteChangeset(pedals=pedals), NoteChangeset(pedals=()))
    removal = HistoryStep(NoteChangeset(removed_ids=tuple(PIECE)), NoteChangeset())
    empty = HistoryStep(NoteChangeset(), NoteChangeset()).size_bytes
    assert with_pedal.size_bytes - empty >= 100 * 100
    assert removal.size_bytes - empty >= 3000 * 50


def test_the_estimate_is_close_to_what_python_allocates() -> None:
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    upserts = tuple(
        EditorNote(f"n{100000 + i}", Note(200_000 + i * 240, 300 + i, 40, 70)) for i in range(2000)
    )
    step = HistoryStep(
        NoteChangeset(upserts), NoteChangeset(removed_ids=tuple(f"{e.id}" for e in upserts))
    )
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    allocated = after - before
    assert 0.7 * allocated <= step.size_bytes <= 1.5 * allocated
