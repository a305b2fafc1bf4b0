"""Changesets, their inverses, note operations and the undo history."""

import pytest

from keycraft.services.domain import Note
from keycraft.services.notes.edits import (
    MAX_NOTES,
    EditorNote,
    InvalidEdit,
    NoteChangeset,
    TooManyNotes,
    UndoHistory,
    apply_changeset,
    changeset_from_payload,
    changeset_to_payload,
    copies_at,
    quantize,
    replace_range,
    set_velocity,
    shift,
    transpose,
)

C4 = Note(0, 480, 60, 80)
E4 = Note(480, 240, 64, 70)


def _notes() -> dict[str, Note]:
    return {"a": C4, "b": E4}


def test_applying_a_changeset_then_its_inverse_restores_the_notes() -> None:
    changeset = NoteChangeset(
        upserts=(EditorNote("a", Note(120, 480, 62, 80)), EditorNote("new", Note(960, 60, 67, 1))),
        removed_ids=("b", "unknown"),
    )
    after, inverse = apply_changeset(_notes(), changeset)
    assert after == {"a": Note(120, 480, 62, 80), "new": Note(960, 60, 67, 1)}
    restored, _ = apply_changeset(after, inverse)
    assert restored == _notes()


def test_apply_does_not_mutate_its_input_and_rejects_out_of_range_notes() -> None:
    notes = _notes()
    with pytest.raises(InvalidEdit):
        apply_changeset(notes, NoteChangeset(upserts=(EditorNote("a", Note(0, 0, 60, 80)),)))
    with pytest.raises(InvalidEdit):
        apply_changeset(notes, NoteChangeset(upserts=(EditorNote("a", Note(0, 10, 128, 80)),)))
    assert notes == _notes()


def test_apply_refuses_to_grow_past_the_note_limit() -> None:
    full = {str(i): C4 for i in range(MAX_NOTES)}
    with pytest.raises(TooManyNotes):
        apply_changeset(full, NoteChangeset(upserts=(EditorNote("x", E4),)))


def test_payload_round_trip_and_validation() -> None:
    payload = {
        "upserts": [
            {"id": "a", "start_tick": 10, "duration_ticks": 20, "pitch_midi": 61, "velocity": 3}
        ],
        "removed_ids": ["b"],
    }
    changeset = changeset_from_payload(payload)
    assert changeset == NoteChangeset((EditorNote("a", Note(10, 20, 61, 3)),), ("b",))
    assert changeset_to_payload(changeset) == payload
    bad_rows = [
        {"id": "a", "start_tick": 1.5, "duration_ticks": 20, "pitch_midi": 61, "velocity": 3},
        {"id": "a", "start_tick": 1, "duration_ticks": 20, "pitch_midi": 61, "velocity": True},
        {"id": "", "start_tick": 1, "duration_ticks": 20, "pitch_midi": 61, "velocity": 3},
        {"start_tick": 1, "duration_ticks": 20, "pitch_midi": 61, "velocity": 3},
    ]
    for row in bad_rows:
        with pytest.raises(InvalidEdit):
            changeset_from_payload({"upserts": [row]})
    with pytest.raises(InvalidEdit):
        changeset_from_payload({"upserts": "nope"})


def test_transpose_shift_velocity_and_quantize_touch_only_the_chosen_ids() -> None:
    notes = _notes()
    assert transpose(notes, ["a", "zz"], 12).upserts == (EditorNote("a", Note(0, 480, 72, 80)),)
    assert shift(notes, ["b"], -240).upserts == (EditorNote("b", Note(240, 240, 64, 70)),)
    assert set_velocity(notes, ["a", "b"], 100).upserts == (
        EditorNote("a", Note(0, 480, 60, 100)),
        EditorNote("b", Note(480, 240, 64, 100)),
    )
    off_grid = {"c": Note(130, 100, 60, 80)}
    assert quantize(off_grid, ["c"], 120).upserts == (EditorNote("c", Note(120, 120, 60, 80)),)
    with pytest.raises(InvalidEdit):
        transpose(notes, ["a"], 100)
    with pytest.raises(InvalidEdit):
        shift(notes, ["a"], -1)


def test_copies_at_keep_relative_timing() -> None:
    copies = copies_at([E4, C4], 1920, ["x", "y"])
    assert copies == (
        EditorNote("x", Note(2400, 240, 64, 70)),
        EditorNote("y", Note(1920, 480, 60, 80)),
    )
    assert copies_at([], 10, []) == ()


def test_replace_range_keeps_notes_outside_the_range() -> None:
    notes = {"a": C4, "b": E4, "c": Note(1920, 10, 50, 50)}
    incoming = [Note(0, 100, 40, 40), Note(500, 100, 41, 41), Note(1920, 100, 42, 42)]
    changeset = replace_range(notes, 400, 1920, incoming, ["n1", "n2", "n3"])
    assert changeset.removed_ids == ("b",)
    assert changeset.upserts == (EditorNote("n1", Note(500, 100, 41, 41)),)


def test_undo_history_undoes_and_redoes_in_order_and_forgets_redo_on_new_edit() -> None:
    history = UndoHistory()
    notes = _notes()
    applied: list[dict[str, Note]] = [notes]
    for step in range(3):
        forward = transpose(applied[-1], ["a"], 1)
        after, backward = apply_changeset(applied[-1], forward)
        history.record(forward, backward)
        applied.append(after)
        assert after["a"].pitch_midi == 61 + step
    current = applied[-1]
    for expected in reversed(applied[:-1]):
        undo = history.undo()
        assert undo is not None
        current, _ = apply_changeset(current, undo)
        assert current == expected
    assert history.undo() is None
    redo = history.redo()
    assert redo is not None
    current, _ = apply_changeset(current, redo)
    assert current == applied[1]
    history.record(*_pair(current))
    assert not history.can_redo


def _pair(notes: dict[str, Note]) -> tuple[NoteChangeset, NoteChangeset]:
    forward = set_velocity(notes, ["b"], 1)
    _, backward = apply_changeset(notes, forward)
    return forward, backward


def test_undo_history_keeps_at_least_a_hundred_small_steps() -> None:
    history = UndoHistory()
    for _ in range(150):
        history.record(*_pair(_notes()))
    count = 0
    while history.undo() is not None:
        count += 1
    assert count == 150
    history.record(NoteChangeset(), NoteChangeset())
    assert history.can_redo  # an empty edit does not clear the redo list
