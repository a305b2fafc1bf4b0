"""The piece's key: estimated from the notes, chosen by the learner, spelling the roll's names."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace

import mido
from playwright.sync_api import Browser, Page, expect

from keycraft.services.domain import Note, Project
from keycraft.services.project_settings import ProjectSettings
from tests.e2e.conftest import ConsoleLog
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.signed_in import create_user, signed_in_context
from tests.support.waiting import wait_for

TITLE = "Minuet in D"
D_MAJOR_SCALE = (62, 64, 66, 67, 69, 71, 73, 74)
# A D major scale in quarters over a held D and A: its notes say D major.
NOTES = (
    *(Note(i * 480, 480, pitch, 80) for i, pitch in enumerate(D_MAJOR_SCALE)),
    Note(0, 8 * 480, 50, 70),
    Note(0, 8 * 480, 57, 70),
)


E_FLAT_PITCHES = {39, 46, 63, 65, 67, 68, 70, 72, 74, 75}


def _e_flat_major_midi() -> bytes:
    """One track: an E♭ major scale in quarters over a held E♭ and B♭."""
    track = mido.MidiTrack()
    track.append(mido.Message("note_on", note=39, velocity=70, time=0))
    track.append(mido.Message("note_on", note=46, velocity=70, time=0))
    for pitch in (63, 65, 67, 68, 70, 72, 74, 75):
        track.append(mido.Message("note_on", note=pitch, velocity=80, time=0))
        track.append(mido.Message("note_off", note=pitch, velocity=0, time=480))
    track.append(mido.Message("note_off", note=39, velocity=0, time=0))
    track.append(mido.Message("note_off", note=46, velocity=0, time=0))
    midi = mido.MidiFile(ticks_per_beat=480)
    midi.tracks.append(track)
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def _wait_for(check: Callable[[], bool], what: str, timeout_s: float = 10.0) -> None:
    wait_for(check, what, timeout_s)


def _choose_key(page: Page, name: str) -> None:
    page.get_by_role("combobox", name="Key").click()
    page.get_by_role("option", name=name, exact=True).click()


def _cursor_to_f_sharp(page: Page) -> None:
    """Focus the roll by its skip link and move the cursor from C4 up six semitones."""
    page.get_by_role("link", name="Skip to the piano roll").focus()
    page.keyboard.press("Enter")
    roll = page.get_by_test_id("piano-roll")
    expect(roll).to_be_focused()
    expect(roll).to_have_accessible_description(re.compile(r"^Cursor at C4, bar 1 beat 1\."))
    for _ in range(6):
        page.keyboard.press("ArrowUp")


def test_the_key_is_estimated_chosen_kept_and_spells_the_note_names(
    app: RunningApp, browser: Browser, console: ConsoleLog
) -> None:
    user = create_user(app)
    repo = app.repository()
    # Rows tall enough for the keyboard to name every key, and names written on the notes.
    project = replace(
        make_project(user, title=TITLE, notes=0),
        notes=NOTES,
        settings=ProjectSettings(key_height_px=16.0, show_note_names=True),
    )
    repo.create_project(project)

    def stored() -> Project:
        found = repo.get_project(user.id, project.id)
        assert found is not None
        return found

    context = signed_in_context(browser, app, user, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    page.goto(app.url)
    page.get_by_test_id("nav-projects").click()
    page.wait_for_url(re.compile(r"/projects/?$"))
    page.get_by_test_id("project-link").filter(has_text=TITLE).click()
    page.wait_for_url("**/editor/*", timeout=30_000)
    roll = page.get_by_test_id("piano-roll")
    expect(roll).to_be_visible(timeout=30_000)
    page.wait_for_function("window.__keycraft !== undefined")

    # The notes say D major: the key is shown, and F♯ is spelled as the key writes it.
    label = page.get_by_test_id("key-label")
    expect(label).to_have_text("Key: D major")
    expect(page.get_by_test_id("key-note")).to_have_text("estimated from the notes")
    key_menu = page.get_by_role("combobox", name="Key")
    expect(key_menu).to_have_text("Estimated")
    _cursor_to_f_sharp(page)
    expect(page.get_by_test_id("roll-announcements")).to_contain_text("F♯4, bar 1 beat 1")
    expect(roll).to_have_accessible_description(re.compile(r"^Cursor at F♯4, bar 1 beat 1\."))

    # The learner reads it in D♭ major: the same key is now G♭4, and the choice is stored.
    _choose_key(page, "D♭ major")
    expect(label).to_have_text("Key: D♭ major")
    expect(page.get_by_test_id("key-note")).to_have_text("your choice (the notes suggest D major)")
    expect(roll).to_have_accessible_description(re.compile(r"^Cursor at G♭4, bar 1 beat 1\."))
    _wait_for(lambda: stored().key_name == "Db major", "the key saved")
    assert stored().version == project.version  # the notes were not rewritten

    # A reload keeps the choice, and the roll still spells flats.
    page.reload()
    expect(roll).to_be_visible(timeout=30_000)
    expect(label).to_have_text("Key: D♭ major")
    expect(key_menu).to_have_text("D♭ major")
    _cursor_to_f_sharp(page)
    expect(page.get_by_test_id("roll-announcements")).to_contain_text("G♭4, bar 1 beat 1")

    # Back to the estimate: D major again, and nothing chosen is stored.
    _choose_key(page, "Estimated")
    expect(label).to_have_text("Key: D major")
    expect(roll).to_have_accessible_description(re.compile(r"^Cursor at F♯4, bar 1 beat 1\."))
    _wait_for(lambda: stored().key_name is None, "the estimate restored")

    # A file in E♭ major replaces the notes: the estimate follows them.
    page.get_by_test_id("import-midi").set_input_files(
        {"name": "scale.mid", "mimeType": "audio/midi", "buffer": _e_flat_major_midi()}
    )
    page.get_by_test_id("import-choice-replace").click()
    expect(page.get_by_test_id("note-count")).to_have_text("10")
    expect(label).to_have_text("Key: E♭ major")
    expect(key_menu).to_have_text("Estimated")

    # Edits move the estimate too: the learner lifts every note a tone, to F major, and
    # undoing the lift brings E♭ major back.
    page.get_by_test_id("select-all").click()
    page.get_by_test_id("transpose-up").click()
    expect(label).to_have_text("Key: E major")
    page.get_by_test_id("transpose-up").click()
    expect(label).to_have_text("Key: F major")
    expect(page.get_by_test_id("key-note")).to_have_text("estimated from the notes")
    lifted = {pitch + 2 for pitch in E_FLAT_PITCHES}
    _wait_for(lambda: {n.pitch_midi for n in stored().notes} == lifted, "the lift saved")
    page.get_by_test_id("undo").click()
    page.get_by_test_id("undo").click()
    expect(label).to_have_text("Key: E♭ major")
    _wait_for(lambda: {n.pitch_midi for n in stored().notes} == E_FLAT_PITCHES, "the undo saved")
    assert console.errors == []
    context.close()
