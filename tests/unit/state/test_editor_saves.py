"""Editor saves write the edited chunks only; nothing is lost on reload; tabs still conflict."""

from __future__ import annotations

from dataclasses import replace

import reflex as rx
from reflex.istate.data import RouterData

from keycraft.services.domain import Note, Project
from keycraft.services.errors import Conflict
from keycraft.services.note_chunks import NOTE_CHUNK_TICKS, note_order
from keycraft.services.notes.roll_events import CommitEvent, NoteRow
from keycraft.state.auth import AuthState
from keycraft.state.editor_base import MESSAGES
from keycraft.state.editor_save import SAVE_FAILED, SAVED
from tests.unit.state.conftest import OpenEditor, run


def _another_tab(tab: OpenEditor) -> OpenEditor:
    """The same user's editor on the same project, in a second browser tab."""
    root = rx.State()
    path = f"/editor/{tab.project.id}"
    root.router = RouterData.from_router_data({"pathname": path, "asPath": path})
    other = OpenEditor(root, tab.services, tab.user, tab.project)
    other.state(AuthState).user_id = tab.user.id
    run(other.editor.load)
    return other


def _row(note_id: str, note: Note) -> NoteRow:
    return NoteRow(
        id=note_id,
        start_tick=note.start_tick,
        duration_ticks=note.duration_ticks,
        pitch_midi=note.pitch_midi,
        velocity=note.velocity,
    )


def _commit(*rows: NoteRow, removed: tuple[str, ...] = (), seq: int) -> CommitEvent:
    return CommitEvent(upserts=list(rows), removed_ids=list(removed), unacked=0, seq=seq)


def _spread(tab: OpenEditor) -> Project:
    """Give the tab's project 300 notes over many chunks, stored as a whole."""
    notes = tuple(Note(i * 480, 240, 40 + i % 40, 70) for i in range(300))
    repo = tab.services.repository
    stored = repo.get_project(tab.user.id, tab.project.id)
    assert stored is not None
    return repo.save_project(replace(stored, notes=notes), stored.version)


def test_edits_across_chunks_survive_a_reload(tab: OpenEditor) -> None:
    _spread(tab)
    run(tab.editor.load)
    session = tab.editor._session
    assert session is not None
    ids = sorted(session.notes, key=lambda i: note_order(session.notes[i]))
    first, last = ids[0], ids[-1]
    moved = Note(NOTE_CHUNK_TICKS * 3 + 5, 240, 90, 70)
    run(tab.editor.commit, _commit(_row(first, moved), removed=(last,), seq=1))
    run(tab.editor.commit, _commit(_row("drawn", Note(10, 100, 20, 50)), seq=2))
    assert tab.editor.save_status == SAVED
    shown = sorted(session.notes.values(), key=note_order)
    reopened = _another_tab(tab)
    assert reopened.editor._session is not None
    assert sorted(reopened.editor._session.notes.values(), key=note_order) == shown
    assert tab.stored().notes == tuple(shown)


def test_a_second_tab_editing_a_stale_version_is_refused_and_keeps_its_edit(
    tab: OpenEditor,
) -> None:
    run(tab.editor.load)
    other = _another_tab(tab)
    first = Note(0, 240, 60, 80)
    run(tab.editor.commit, _commit(_row("a", first), seq=1))
    assert tab.editor.save_status == SAVED
    late = Note(NOTE_CHUNK_TICKS, 240, 72, 80)
    run(other.editor.commit, _commit(_row("b", late), seq=1))
    assert other.editor.save_status == SAVE_FAILED
    assert other.editor.message == MESSAGES[Conflict]
    stored = tab.stored()
    assert first in stored.notes and late not in stored.notes
    session = other.editor._session
    assert session is not None and late in session.notes.values()
    # Its edited chunk stays unsaved: the next attempt still carries it (and still conflicts).
    assert session.take_dirty_chunks() == frozenset({1})
