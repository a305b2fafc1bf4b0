"""The editing session: commits, server edits, clipboard and undo across them."""

import pickle

from keycraft.services.domain import Note
from keycraft.services.notes.edits import EditorNote, NoteChangeset
from keycraft.services.notes.key import pitch_class_weights
from keycraft.services.notes.session import EditingSession

C4 = Note(0, 480, 60, 80)
G4 = Note(480, 240, 67, 70)


def _by_position(session: EditingSession) -> list[Note]:
    return sorted(session.notes.values(), key=lambda n: (n.start_tick, n.pitch_midi))


def test_loading_assigns_ids_without_an_undo_step() -> None:
    session = EditingSession([G4, C4])
    assert _by_position(session) == [C4, G4]
    assert not session.can_undo
    assert [r["pitch_midi"] for r in session.rows()] == [60, 67]


def test_browser_commits_and_server_edits_share_one_history() -> None:
    session = EditingSession([C4])
    (c4_id,) = session.notes
    session.commit(NoteChangeset(upserts=(EditorNote("c1", G4),)))
    edit = session.transpose([c4_id, "c1"], 12)
    assert edit is not None and set(edit.select_ids or ()) == {c4_id, "c1"}
    assert {n.pitch_midi for n in session.notes.values()} == {72, 79}
    session.undo()
    session.undo()
    assert _by_position(session) == [C4]
    session.redo()
    assert _by_position(session) == [C4, G4]


def test_copy_paste_duplicate_cut_and_quantize() -> None:
    session = EditingSession([C4, G4])
    ids = list(session.notes)
    assert session.copy(ids) == 2
    pasted = session.paste(1920)
    assert pasted is not None and len(pasted.changeset.upserts) == 2
    assert {(n.start_tick, n.pitch_midi) for n in session.notes.values()} >= {
        (1920, 60),
        (2400, 67),
    }
    duplicated = session.duplicate(ids)
    assert duplicated is not None
    assert {e.note.start_tick for e in duplicated.changeset.upserts} == {720, 1200}
    cut = session.cut(ids)
    assert cut is not None and set(cut.changeset.removed_ids) == set(ids)
    assert len(session.notes) == 4
    off = session.notes[next(iter(session.notes))]
    session.commit(NoteChangeset(upserts=(EditorNote("odd", Note(130, 100, 50, 9)),)))
    quantized = session.quantize(["odd"], 120)
    assert quantized is not None and session.notes["odd"] == Note(120, 120, 50, 9)
    assert off in session.notes.values()
    assert session.paste(0) is not None  # the clipboard survives the cut
    assert session.delete(["nope"]) is None
    assert session.transpose([], 1) is None


def test_replace_all_is_one_undo_step_and_sessions_pickle() -> None:
    session = EditingSession([C4])
    session.replace_all([G4, G4])
    assert len(session.notes) == 2
    restored = pickle.loads(pickle.dumps(session))
    restored.undo()
    assert _by_position(restored) == [C4]


def test_replace_range_keeps_edits_outside_it() -> None:
    session = EditingSession([C4, Note(1920, 10, 40, 40)])
    edit = session.replace_range(0, 1920, [Note(0, 100, 62, 70), Note(1920, 10, 41, 41)])
    assert edit is not None
    assert _by_position(session) == [Note(0, 100, 62, 70), Note(1920, 10, 40, 40)]


def test_undo_history_of_big_replacements_keeps_only_the_latest_over_budget() -> None:
    from keycraft.services.notes.edits import MAX_NOTES

    full = [Note(i * 10, 10, 21 + i % 88, 64) for i in range(MAX_NOTES)]
    session = EditingSession(full)
    for shift in range(1, 6):  # each step swaps all 20,000 notes
        session.replace_all([Note(n.start_tick + shift, 10, n.pitch_midi, 64) for n in full])
    # Each step (80,000 records, about 12 MB) is over the budget on its own.
    assert len(session._history._done) == 1
    assert session.can_undo  # the latest step is always kept
    pickled = len(pickle.dumps(session))
    assert pickled < 40 * 1024 * 1024


def _counted(session: EditingSession) -> tuple[float, ...]:
    notes = session.notes.values()
    return pitch_class_weights((n.pitch_midi, n.duration_ticks, n.velocity) for n in notes)


def test_the_running_pitch_weights_match_the_notes_after_every_kind_of_edit() -> None:
    session = EditingSession([C4, G4, Note(960, 480, 64, 90)])
    assert session.pitch_class_weights == _counted(session)
    ids = list(session.notes)
    steps = [
        lambda: session.commit(NoteChangeset(upserts=(EditorNote(ids[0], Note(0, 960, 61, 80)),))),
        lambda: session.commit(
            NoteChangeset(upserts=(EditorNote("x", G4), EditorNote("x", Note(0, 10, 70, 5))))
        ),
        lambda: session.commit(NoteChangeset(removed_ids=(ids[1], "unknown"))),
        lambda: session.transpose(list(session.notes), 5),
        lambda: session.copy(list(session.notes)),
        lambda: session.paste(4800),
        lambda: session.quantize(list(session.notes), 480),
        lambda: session.set_velocity(list(session.notes)[:2], 30),
        lambda: session.delete(list(session.notes)[:1]),
        lambda: session.replace_range(0, 1920, [Note(0, 100, 62, 70)]),
        lambda: session.replace_all([C4, C4, G4]),
        session.undo,
        session.undo,
        session.undo,
        session.redo,
    ]
    for step in steps:
        step()
        assert session.pitch_class_weights == _counted(session)
    restored = pickle.loads(pickle.dumps(session))
    assert restored.pitch_class_weights == _counted(restored)
    restored.undo()
    assert restored.pitch_class_weights == _counted(restored)


def test_a_session_pickled_without_running_weights_counts_them_when_loaded() -> None:
    session = EditingSession([C4, G4])
    state = session.__getstate__()
    del state["pitch_weights"]
    restored = EditingSession.__new__(EditingSession)
    restored.__setstate__(state)
    assert restored.pitch_class_weights == _counted(session)
