"""The note limit in the editor: a paste or a MIDI import past it says why and changes nothing."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import mido
import reflex as rx
from reflex.istate.data import RouterData

from keycraft.services.container import Services
from keycraft.services.domain import Note
from keycraft.services.notes import edits
from keycraft.services.notes.edits import MAX_NOTES
from keycraft.services.notes.roll_events import CommandEvent
from keycraft.services.project_fill import TooManyImportedNotes
from keycraft.state.auth import AuthState
from keycraft.state.editor_base import MESSAGES
from keycraft.state.editor_io import MidiImportState
from tests.support.factories import make_project, make_user
from tests.unit.state.conftest import OpenEditor, run


def _tab_with(services: Services, count: int) -> OpenEditor:
    """A signed-in user on the loaded editor of their ``count``-note project."""
    user = services.repository.create_user(make_user())
    notes = tuple(Note(i * 10, 10, 21 + i % 88, 64) for i in range(count))
    project = services.repository.create_project(replace(make_project(user), notes=notes))
    root = rx.State()
    path = f"/editor/{project.id}"
    root.router = RouterData.from_router_data({"pathname": path, "asPath": path})
    tab = OpenEditor(root, services, user, project)
    tab.state(AuthState).user_id = user.id
    run(tab.editor.load)
    return tab


def _midi_with(count: int) -> bytes:
    """A one-track MIDI file of ``count`` short notes, one after another."""
    track = mido.MidiTrack()
    for i in range(count):
        track.append(mido.Message("note_on", note=36 + i % 48, velocity=80, time=0))
        track.append(mido.Message("note_off", note=36 + i % 48, time=10))
    midi = mido.MidiFile(type=0, ticks_per_beat=480)
    midi.tracks.append(track)
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def _upload(data: bytes) -> list[rx.UploadFile]:
    return [rx.UploadFile(file=io.BytesIO(data), path=Path("huge.mid"))]


def test_a_paste_past_the_limit_says_why_and_changes_nothing(services: Services) -> None:
    tab = _tab_with(services, MAX_NOTES - 1)
    editor = tab.editor
    ids = [row["id"] for row in json.loads(editor.notes_json)[:2]]
    run(editor.select, {"ids": ids})
    run(editor.command, CommandEvent(name="copy", tick=0, unacked=0, seq=1))
    run(editor.command, CommandEvent(name="paste", tick=0, unacked=0, seq=2))
    assert editor.message == MESSAGES[edits.TooManyNotes]
    assert f"{MAX_NOTES:,}" in editor.message and "Nothing was changed" in editor.message
    assert editor.note_count == MAX_NOTES - 1 and editor.patch_json == ""
    assert len(tab.stored().notes) == MAX_NOTES - 1
    # One note fewer, and the same two notes fit.
    run(editor.select, {"ids": ids[:1]})
    run(editor.command, CommandEvent(name="delete", tick=0, unacked=0, seq=3))
    run(editor.command, CommandEvent(name="paste", tick=0, unacked=0, seq=4))
    assert editor.note_count == MAX_NOTES
    assert len(tab.stored().notes) == MAX_NOTES


def test_an_import_past_the_limit_says_why_and_changes_nothing(services: Services) -> None:
    tab = _tab_with(services, 3)
    editor, importer = tab.editor, tab.state(MidiImportState)
    before = tab.stored()
    for answer in (importer.replace_notes, importer.add_as_new_project):
        editor.message = ""
        run(importer.import_midi, _upload(_midi_with(MAX_NOTES + 1)))
        assert importer.replace_dialog_open
        assert run(answer) is None  # no new project to open
        assert editor.message == MESSAGES[TooManyImportedNotes]
        assert f"{MAX_NOTES:,}" in editor.message and "Nothing was imported" in editor.message
        assert editor.note_count == 3 and not editor.can_undo
        assert tab.stored() == before
    assert [p.id for p in services.repository.list_projects(tab.user.id)] == [before.id]
