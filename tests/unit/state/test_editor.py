"""The editor's handlers as the roll and toolbar call them: load, commits, shortcuts, saving."""

from __future__ import annotations

import json
from typing import get_type_hints

from keycraft.services.notes import edits
from keycraft.services.notes.roll_events import (
    CommandEvent,
    CommitEvent,
    NoteRow,
    PedalEvent,
    PedalRow,
    SelectionEvent,
    ToolEvent,
)
from keycraft.state.editor import EditorState
from keycraft.state.editor_base import MESSAGES, PEDAL_EDIT_MESSAGE
from keycraft.state.editor_save import SAVED, SAVING
from tests.unit.state.conftest import OpenEditor, run

C4 = NoteRow(id="new-c4", start_tick=1920, duration_ticks=480, pitch_midi=60, velocity=80)


def _commit(
    *upserts: NoteRow, removed: tuple[str, ...] = (), seq: int, unacked: int = 0
) -> CommitEvent:
    return CommitEvent(upserts=list(upserts), removed_ids=list(removed), unacked=unacked, seq=seq)


def _command(name: str, seq: int, tick: int = 0, unacked: int = 0) -> CommandEvent:
    return CommandEvent(name=name, tick=tick, unacked=unacked, seq=seq)


def _opened(tab: OpenEditor) -> EditorState:
    editor = tab.editor
    run(editor.load)
    return editor


def test_the_roll_handlers_take_the_typed_events_the_roll_declares() -> None:
    expected = {
        "commit": CommitEvent,
        "change_pedals": PedalEvent,
        "select": SelectionEvent,
        "command": CommandEvent,
        "change_tool": ToolEvent,
    }
    for name, event_type in expected.items():
        handler = EditorState.event_handlers[name]
        hints = get_type_hints(handler.fn)
        assert [t for k, t in hints.items() if k != "return"] == [event_type], name


def test_loading_shows_the_project_named_in_the_url(tab: OpenEditor) -> None:
    editor = _opened(tab)
    assert editor.loaded and not editor.missing
    assert (editor.project_id, editor.title) == (tab.project.id, "Prelude")
    assert editor.note_count == 3 and len(json.loads(editor.notes_json)) == 3
    assert editor.load_revision == 1 and editor.view_revision == 1
    assert editor.save_status == SAVED and editor.save_label == "Saved"
    assert editor.downloads_limit > 0
    assert editor.open_project() == tab.project


def test_a_project_of_someone_else_is_missing(tab: OpenEditor) -> None:
    tab.root.router = type(tab.root.router).from_router_data({"pathname": "/editor/nope"})
    editor = _opened(tab)
    assert editor.missing and not editor.loaded
    assert editor.open_project() is None


def test_a_commit_is_saved_at_once_and_acknowledged(tab: OpenEditor) -> None:
    editor = _opened(tab)
    assert run(editor.commit, _commit(C4, seq=41)) is None
    assert editor.note_count == 4 and editor.can_undo
    assert editor.save_status == SAVED and editor.saved_seq == 41
    assert any(n.pitch_midi == 60 for n in tab.stored().notes)


def test_a_refused_commit_says_why_and_sends_the_notes_again(tab: OpenEditor) -> None:
    editor = _opened(tab)
    too_high = NoteRow(id="x", start_tick=0, duration_ticks=480, pitch_midi=130, velocity=80)
    run(editor.commit, _commit(too_high, seq=7))
    assert editor.message == MESSAGES[edits.InvalidEdit]
    assert editor.load_revision == 2 and editor.note_count == 3
    assert editor.saved_seq == 7  # nothing to save: acknowledged at once
    assert len(tab.stored().notes) == 3


def test_a_commit_in_a_burst_goes_to_the_background_saver(tab: OpenEditor) -> None:
    editor = _opened(tab)
    saver = run(editor.commit, _commit(C4, seq=9, unacked=3))
    assert saver is EditorState.autosave
    assert editor.save_status == SAVING and editor.saved_seq < 9
    # A second edit while that saver runs waits for it rather than starting another.
    second = NoteRow(id="new-d4", start_tick=0, duration_ticks=240, pitch_midi=62, velocity=70)
    assert run(editor.commit, _commit(second, seq=10)) is None
    assert len(tab.stored().notes) == 3


def test_selection_and_shortcuts_edit_and_save_the_selected_notes(tab: OpenEditor) -> None:
    editor = _opened(tab)
    first_id = json.loads(editor.notes_json)[0]["id"]
    run(editor.select, {"ids": [first_id, 42]})  # not every id from a browser is one
    assert editor.selection_count == 1
    run(editor.command, _command("delete", seq=3))
    assert editor.note_count == 2 and editor.saved_seq == 3
    assert json.loads(editor.patch_json)["removed_ids"] == [first_id]
    assert len(tab.stored().notes) == 2
    run(editor.command, _command("undo", seq=4))
    assert editor.note_count == 3 and len(tab.stored().notes) == 3
    # The patch names the command carried out, for the roll to announce.
    assert json.loads(editor.patch_json)["done"] == "undo"


def test_help_and_unknown_shortcuts_change_no_notes_but_are_acknowledged(tab: OpenEditor) -> None:
    editor = _opened(tab)
    run(editor.command, _command("help", seq=12))
    assert editor.help_open and editor.saved_seq == 12
    run(editor.command, _command("dance", seq=13))
    assert editor.saved_seq == 13 and editor.patch_seq == 0


def test_the_tool_shortcut_takes_only_known_tools(tab: OpenEditor) -> None:
    editor = _opened(tab)
    run(editor.change_tool, ToolEvent(tool="select"))
    assert editor.tool == "select"
    run(editor.change_tool, ToolEvent(tool="eraser"))
    assert editor.tool == "select"


def test_overlapping_pedal_spans_are_refused_and_sent_again(tab: OpenEditor) -> None:
    editor = _opened(tab)
    spans = [PedalRow(start_tick=0, end_tick=960), PedalRow(start_tick=480, end_tick=1200)]
    run(editor.change_pedals, PedalEvent(pedals=spans, unacked=0, seq=2))
    assert editor.message == PEDAL_EDIT_MESSAGE and editor.load_revision == 2
    run(editor.change_pedals, PedalEvent(pedals=spans[:1], unacked=0, seq=3))
    assert editor.saved_seq == 3 and editor.can_undo
    assert [(p.start_tick, p.end_tick) for p in tab.stored().pedals] == [(0, 960)]


def test_a_new_title_is_stored_and_a_blank_one_refused(tab: OpenEditor) -> None:
    editor = _opened(tab)
    run(editor.set_title, "   ")
    run(editor.save_title)
    assert editor.title == "Prelude" and "1 to 120" in editor.message
    run(editor.set_title, "Prelude in C")
    run(editor.save_title)
    assert tab.stored().title == "Prelude in C"


def test_an_export_counts_one_download_and_starts_it(tab: OpenEditor) -> None:
    editor = _opened(tab)
    left = editor.downloads_left
    download = run(editor.export_midi)
    assert download is not None
    assert editor.downloads_used == 1 and editor.downloads_left == left - 1


def test_notes_deleted_in_the_roll_leave_the_selection_count_with_the_save(
    tab: OpenEditor,
) -> None:
    editor = _opened(tab)
    ids = [row["id"] for row in json.loads(editor.notes_json)]
    run(editor.select, {"ids": ids[:2]})
    assert editor.selection_count == 2
    run(editor.commit, _commit(removed=(ids[0],), seq=1))
    assert editor.selection_count == 1 and len(tab.stored().notes) == 2
