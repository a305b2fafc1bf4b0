"""Pedal edits in the editing session: one history with the notes, pickled with them."""

import pickle

import pytest

from keycraft.services.domain import Note, PedalSpan
from keycraft.services.notes import edits
from keycraft.services.notes.edits import EditorNote, InvalidEdit, NoteChangeset
from keycraft.services.notes.pedal import InvalidPedal
from keycraft.services.notes.session import EditingSession

C4 = Note(0, 480, 60, 80)
BAR_1 = PedalSpan(0, 1920)
BAR_2 = PedalSpan(1920, 3840)


def test_pedal_and_note_edits_undo_and_redo_in_the_order_made() -> None:
    session = EditingSession([C4], [BAR_1])
    assert session.pedals == (BAR_1,) and not session.can_undo
    edit = session.set_pedals([BAR_2, BAR_1])
    assert edit is not None and edit.changeset.pedals == (BAR_1, BAR_2)
    session.commit(NoteChangeset(upserts=(EditorNote("n1", Note(960, 240, 64, 90)),)))

    note_undo = session.undo()
    assert note_undo is not None and note_undo.changeset.removed_ids == ("n1",)
    assert session.pedals == (BAR_1, BAR_2)
    pedal_undo = session.undo()
    assert pedal_undo is not None and pedal_undo.changeset.pedals == (BAR_1,)
    # Undoing a pedal step keeps the note selection as it is.
    assert pedal_undo.select_ids is None
    assert session.pedals == (BAR_1,) and not session.can_undo

    redo = session.redo()
    assert redo is not None and redo.changeset.pedals == (BAR_1, BAR_2)
    assert session.redo() is not None and len(session.notes) == 2


def test_an_unchanged_or_invalid_pedal_is_no_step() -> None:
    session = EditingSession([C4], [BAR_1])
    assert session.set_pedals([BAR_1]) is None
    with pytest.raises(InvalidPedal):
        session.set_pedals([PedalSpan(0, 1000), PedalSpan(900, 2000)])
    assert session.pedals == (BAR_1,) and not session.can_undo
    # A release and a press at one tick is a re-pedal, not an overlap.
    assert session.set_pedals([BAR_1, BAR_2]) is not None


def test_replace_all_swaps_notes_and_pedal_in_one_step_and_pickles() -> None:
    session = EditingSession([C4], [BAR_1])
    session.replace_all([Note(0, 240, 72, 70)], pedals=[BAR_2])
    restored = pickle.loads(pickle.dumps(session))
    assert restored.pedals == (BAR_2,)
    restored.undo()
    assert restored.pedals == (BAR_1,) and list(restored.notes.values()) == [C4]
    # Without pedals the replacement leaves the pedal alone.
    restored.replace_all([C4])
    assert restored.pedals == (BAR_1,)


def test_pedal_payloads_round_trip_and_bad_ones_are_refused() -> None:
    rows = edits.pedal_rows([BAR_1, BAR_2])
    assert rows == [{"start_tick": 0, "end_tick": 1920}, {"start_tick": 1920, "end_tick": 3840}]
    assert edits.pedals_from_payload({"pedals": rows}) == (BAR_1, BAR_2)
    payload = edits.changeset_to_payload(NoteChangeset(pedals=(BAR_1,)))
    assert payload["pedals"] == [{"start_tick": 0, "end_tick": 1920}]
    assert "pedals" not in edits.changeset_to_payload(NoteChangeset())
    for bad in ({}, {"pedals": "x"}, {"pedals": [{"start_tick": 5}]}, {"pedals": [[0, 10]]}):
        with pytest.raises(InvalidEdit):
            edits.pedals_from_payload(bad)
    with pytest.raises(InvalidEdit):
        edits.pedals_from_payload({"pedals": [{"start_tick": 10, "end_tick": 10}]})


def test_a_changeset_pickled_before_the_pedal_unpickles_leaving_the_pedal_alone() -> None:
    old = NoteChangeset.__new__(NoteChangeset)
    old.__setstate__(((EditorNote("n1", C4),), ("n2",)))
    assert old.pedals is None and not old.is_empty()
    again = pickle.loads(pickle.dumps(NoteChangeset(pedals=(BAR_1,))))
    assert again == NoteChangeset(pedals=(BAR_1,))
