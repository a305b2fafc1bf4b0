"""The editor by keyboard alone: a melody written, selected, transposed, shaded and played."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Browser, Locator, expect

from keycraft.services.domain import Note, Project
from tests.e2e.conftest import ConsoleLog
from tests.support.app_server import RunningApp
from tests.support.signed_in import create_user, signed_in_context
from tests.support.waiting import wait_for


def _wait_for(check: Callable[[], bool], what: str, timeout_s: float = 10.0) -> None:
    wait_for(check, what, timeout_s)


def _said(region: Locator, text: str) -> None:
    """The live region has announced ``text`` (it keeps the last few announcements)."""
    expect(region).to_contain_text(text)


def test_a_melody_is_written_selected_transposed_shaded_and_played_from_the_keyboard(
    app: RunningApp, browser: Browser, console: ConsoleLog
) -> None:
    user = create_user(app)
    context = signed_in_context(browser, app, user)
    page = context.new_page()
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    page.goto(app.url)
    page.get_by_test_id("nav-projects").click()
    page.wait_for_url(re.compile(r"/projects/?$"))
    page.get_by_test_id("new-project-title").fill("Keyboard tune")
    page.get_by_test_id("new-project").click()
    page.wait_for_url("**/editor/*", timeout=30_000)
    project_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    roll = page.get_by_test_id("piano-roll")
    expect(roll).to_be_visible(timeout=30_000)
    page.wait_for_function("window.__keycraft !== undefined")

    def stored() -> Project:
        project = app.repository().get_project(user.id, project_id)
        assert project is not None
        return project

    # The skip link is the first Tab stop; it puts focus in the roll, with a visible ring.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the piano roll")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(roll).to_be_focused()
    assert roll.evaluate("(el) => getComputedStyle(el).outlineStyle") == "solid"
    said = page.get_by_test_id("roll-announcements")
    expect(roll).to_have_accessible_name(re.compile("^Piano roll"))
    expect(roll).to_have_accessible_description(re.compile(r"^Cursor at C4, bar 1 beat 1\."))

    # Four quarter notes: C4, D4, E4, G4 (Enter steps the cursor past each new note).
    for _ in range(3):
        page.keyboard.press("]")
    _said(said, "New notes a quarter long")
    page.keyboard.press("Enter")
    _said(said, "C4 added at bar 1 beat 1")
    for steps_up, name, beat in ((2, "D4", 2), (2, "E4", 3), (3, "G4", 4)):
        for _ in range(steps_up):
            page.keyboard.press("ArrowUp")
        _said(said, f"{name}, bar 1 beat {beat}")
        page.keyboard.press("Enter")
        _said(said, f"{name} added at bar 1 beat {beat}")
    expect(page.get_by_test_id("note-count")).to_have_text("4")

    # Walk back to D4, then stretch the selection over E4 with Shift+arrows.
    page.keyboard.press("Shift+Tab")
    _said(said, "G4, a quarter at bar 1 beat 4, velocity 90. Selected")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    _said(said, "D4, a quarter at bar 1 beat 2, velocity 90. Selected")
    for _ in range(4):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowUp")
    page.keyboard.press("Shift+ArrowUp")
    _said(said, "2 notes selected")
    expect(page.get_by_test_id("selection-count")).to_have_text("2")
    expect(roll).to_have_accessible_description(re.compile(r"2 notes selected, 4 notes in all"))

    # Up a semitone, then a louder F4 (the old E4).
    page.keyboard.press("Alt+ArrowUp")
    _said(said, "2 notes moved up a semitone")
    page.keyboard.press("Tab")
    _said(said, "F4, a quarter at bar 1 beat 3, velocity 90. Selected")
    page.keyboard.press("=")
    page.keyboard.press("=")
    _said(said, "Velocity 106")

    # From the start, play and pause.
    page.keyboard.press("Home")
    page.keyboard.press("Space")
    _said(said, "Playing from bar 1 beat 1")
    page.wait_for_function("window.__keycraft.transportState === 'started'")
    page.wait_for_function("window.__keycraft.playheadTick > 480")
    page.keyboard.press("Space")
    _said(said, "Paused at bar 1")
    _said(said, "Saved")

    expected = {
        Note(0, 480, 60, 90),
        Note(480, 480, 63, 90),
        Note(960, 480, 65, 106),
        Note(1440, 480, 67, 90),
    }
    _wait_for(lambda: set(stored().notes) == expected, "the keyboard melody saved")

    # The shortcut list opens from the roll and, closed, gives focus back to the roll.
    page.keyboard.press("?")
    expect(page.get_by_test_id("shortcut-help")).to_be_visible()
    expect(page.get_by_test_id("shortcut-help")).to_contain_text("Add a note at the cursor")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("shortcut-help")).to_have_count(0)
    expect(roll).to_be_focused()

    # Tab past the last note (G4) leaves the roll: the keyboard is never trapped.
    page.keyboard.press("Tab")
    _said(said, "G4, a quarter at bar 1 beat 4, velocity 90. Selected")
    page.keyboard.press("Tab")
    expect(roll).not_to_be_focused()
    assert console.errors == []
    context.close()
