"""Near the note limit: a paste or a MIDI import past it is refused, visibly, losing nothing."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace

import mido
from playwright.sync_api import Browser, FilePayload, Page, expect

from keycraft.services.domain import Note, Project
from keycraft.services.notes.edits import MAX_NOTES
from tests.e2e.conftest import ConsoleLog
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.signed_in import create_user, signed_in_context
from tests.support.waiting import wait_for

TITLE = "Nearly full"
NEAR_LIMIT = MAX_NOTES - 50


def _wait_for(check: Callable[[], bool], what: str, timeout_s: float = 20.0) -> None:
    wait_for(check, what, timeout_s)


def _midi_with(count: int) -> bytes:
    """A one-track MIDI file of ``count`` short notes, one after another."""
    track = mido.MidiTrack()
    for i in range(count):
        track.append(mido.Message("note_on", note=36 + i % 48, velocity=80, time=0))
        track.append(mido.Message("note_off", note=36 + i % 48, time=60))
    midi = mido.MidiFile(type=0, ticks_per_beat=480)
    midi.tracks.append(track)
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def _open_from_home(page: Page, app: RunningApp) -> None:
    page.goto(app.url)
    page.get_by_test_id("nav-projects").click()
    page.wait_for_url(re.compile(r"/projects/?$"))
    page.get_by_test_id("project-link").filter(has_text=TITLE).click()
    page.wait_for_url("**/editor/*", timeout=30_000)
    page.wait_for_function(
        f"window.__keycraft && window.__keycraft.noteCount === {NEAR_LIMIT}", timeout=60_000
    )


def test_a_paste_or_an_import_past_the_limit_is_refused_with_a_visible_reason(
    browser: Browser, app: RunningApp, console: ConsoleLog
) -> None:
    user = create_user(app)
    repo = app.repository()
    notes = tuple(Note(i * 60, 120, 48 + i % 24, 40 + i % 80) for i in range(NEAR_LIMIT))
    project = replace(make_project(user, title=TITLE, notes=0), notes=notes)
    repo.create_project(project)

    def stored() -> Project:
        found = repo.get_project(user.id, project.id)
        assert found is not None
        return found

    context = signed_in_context(browser, app, user)
    page = context.new_page()
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    _open_from_home(page, app)
    editor_url = page.url
    count = page.get_by_test_id("note-count")
    message = page.get_by_test_id("editor-message")
    expect(count).to_have_text(str(NEAR_LIMIT))

    # Copy every note and paste: twice as many would pass the limit.
    roll = page.get_by_test_id("piano-roll")
    roll.focus()
    page.keyboard.press("Control+a")
    expect(page.get_by_test_id("selection-count")).to_have_text(str(NEAR_LIMIT))
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(message).to_be_visible(timeout=30_000)
    expect(message).to_contain_text(f"past {MAX_NOTES:,} notes")
    expect(message).to_contain_text("Nothing was changed")
    # Read out as it appears, not only shown.
    expect(page.get_by_role("alert").filter(has_text="Nothing was changed")).to_be_visible()
    expect(count).to_have_text(str(NEAR_LIMIT))
    page.wait_for_function(f"window.__keycraft.noteCount === {NEAR_LIMIT}")
    # The roll said the copy, and never that a paste happened.
    announcements = page.get_by_test_id("roll-announcements")
    expect(announcements).to_contain_text("Copied")
    expect(announcements).not_to_contain_text("Pasted")
    assert stored().notes == notes
    page.get_by_role("button", name="Dismiss").click()
    expect(message).to_have_count(0)

    # A file with one note more than a project holds: replacing the notes is refused...
    huge = FilePayload(name="Huge.mid", mimeType="audio/midi", buffer=_midi_with(MAX_NOTES + 1))
    page.get_by_test_id("import-midi").set_input_files(huge)
    page.get_by_test_id("import-choice-replace").click()
    expect(message).to_be_visible(timeout=30_000)
    expect(message).to_contain_text(f"more than {MAX_NOTES:,} notes")
    expect(message).to_contain_text("Nothing was imported")
    expect(count).to_have_text(str(NEAR_LIMIT))
    page.get_by_role("button", name="Dismiss").click()

    # ...and so is making it a new project: the editor stays on this one.
    page.get_by_test_id("import-midi").set_input_files(huge)
    page.get_by_test_id("import-choice-new").click()
    expect(message).to_contain_text("Nothing was imported", timeout=30_000)
    assert page.url == editor_url
    expect(count).to_have_text(str(NEAR_LIMIT))
    page.wait_for_function(f"window.__keycraft.noteCount === {NEAR_LIMIT}")
    assert [p.title for p in repo.list_projects(user.id)] == [TITLE]
    assert stored().notes == notes and stored().version == project.version
    assert console.errors == []
    context.close()
