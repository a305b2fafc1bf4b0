"""Other states reach the open project only through the editor's public methods."""

from __future__ import annotations

from dataclasses import replace

from keycraft.services import projects
from keycraft.services.domain import Note
from keycraft.services.notes.roll_events import LoopEvent, ViewEvent
from keycraft.state.editor_save import SAVED
from keycraft.state.editor_view import EditorViewState
from tests.support.factories import T0
from tests.unit.state.conftest import OpenEditor, run


def test_no_project_is_open_before_the_page_loads(tab: OpenEditor) -> None:
    assert tab.editor.open_project() is None
    assert run(tab.editor.edit_project, lambda p: replace(p, tempo_bpm=90.0)) is None


def test_a_sibling_edit_of_the_project_is_shown_and_saved(tab: OpenEditor) -> None:
    editor = tab.editor
    run(editor.load)
    saver = run(editor.edit_project, lambda p: replace(p, tempo_bpm=90.0))
    assert saver is None  # saved inline: nothing else was pending
    assert editor.tempo_bpm == 90.0 and editor.save_status == SAVED
    assert tab.stored().tempo_bpm == 90.0
    project = editor.open_project()
    assert project is not None and project.tempo_bpm == 90.0


def test_a_loop_drawn_on_the_ruler_is_snapped_to_beats_turned_on_and_stored(
    tab: OpenEditor,
) -> None:
    run(tab.editor.load)
    view = tab.state(EditorViewState)
    run(view.change_loop, LoopEvent(start_tick=500, end_tick=2000))
    editor = tab.editor
    assert editor.loop_enabled
    assert (editor.loop_start_tick, editor.loop_end_tick) == (480, 1920)
    assert editor.loop_start_bar == "1:2"
    stored = tab.stored().settings
    assert (stored.loop_enabled, stored.loop_start_tick, stored.loop_end_tick) == (True, 480, 1920)


def test_a_zoom_is_stored_and_a_malformed_one_ignored(tab: OpenEditor) -> None:
    run(tab.editor.load)
    view = tab.state(EditorViewState)
    run(view.change_view, ViewEvent(px_per_beat=150, key_height_px=20.5))
    run(view.change_view, {"px_per_beat": "wide"})
    assert (tab.editor.px_per_beat, tab.editor.key_height_px) == (150.0, 20.5)
    assert tab.stored().settings.px_per_beat == 150.0


def test_notes_stored_elsewhere_arrive_as_one_undoable_edit_at_their_version(
    tab: OpenEditor,
) -> None:
    editor = tab.editor
    run(editor.load)
    job_notes = [Note(0, 480, 64, 90), Note(480, 480, 65, 90)]
    by_job = projects.save_content(tab.services.repository, tab.project, job_notes, T0)
    other = replace(by_job, id="another-project")
    assert run(editor.fill_stored, other) is None
    assert editor.note_count == 3
    run(editor.fill_stored, by_job)
    assert editor.note_count == 2 and editor.can_undo
    # Its next save follows the job's rather than looking like another tab's change.
    run(editor.undo)
    assert editor.save_status == SAVED and editor.message == ""
    assert len(tab.stored().notes) == 3
