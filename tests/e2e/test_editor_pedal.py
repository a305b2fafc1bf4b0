"""The sustain pedal in the editor: drawn, moved, resized, undone, deleted, saved, exported, heard.

The pedal lane under the notes edits spans; the project stores them, MIDI export writes them
as controller 64, and playback lets a note released under the pedal ring until it lifts.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import replace

import mido
from playwright.sync_api import Browser, Page, expect

from keycraft.services.domain import Note, PedalSpan, Project
from keycraft.services.notes.midi_io import import_midi
from keycraft.services.project_settings import ProjectSettings
from tests.e2e.conftest import ConsoleLog
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.signed_in import create_user, signed_in_context
from tests.support.waiting import wait_for

TITLE = "Pedalled prelude"
C4 = Note(0, 960, 60, 90)
"""Released at beat 3 of bar 1: under the drawn pedal, it rings to the pedal's end."""
SEEDED_SPAN = PedalSpan(4320, 5280)
"""Bar 3 beat 2 to bar 3 beat 4: shown on open, later deleted."""


def _wait_for(check: Callable[[], bool], what: str, timeout_s: float = 10.0) -> None:
    wait_for(check, what, timeout_s)


def _lane_point(page: Page, tick: int, dx: float = 1) -> tuple[float, float]:
    point = page.evaluate(f"window.__keycraft.pedalPointFor({tick})")
    return point["x"] + dx, point["y"]


def _drag(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, start[1], steps=3)
    page.mouse.move(*end, steps=3)
    page.mouse.up()


def _shown(page: Page, *spans: PedalSpan) -> None:
    """The lane shows exactly ``spans``."""
    rows = json.dumps(
        [{"start_tick": s.start_tick, "end_tick": s.end_tick} for s in spans], separators=(",", ":")
    )
    page.wait_for_function("(rows) => JSON.stringify(window.__keycraft.pedals) === rows", arg=rows)


def test_pedal_spans_are_drawn_moved_resized_undone_deleted_saved_exported_and_heard(
    app: RunningApp, browser: Browser, console: ConsoleLog
) -> None:
    user = create_user(app)
    repo = app.repository()
    # Zoomed out to 48 px a beat, so four bars fit the roll.
    project = replace(
        make_project(user, title=TITLE, notes=0),
        notes=(C4,),
        pedals=(SEEDED_SPAN,),
        settings=ProjectSettings(px_per_beat=48.0),
    )
    repo.create_project(project)

    def stored() -> Project:
        found = repo.get_project(user.id, project.id)
        assert found is not None
        return found

    def saved(*spans: PedalSpan) -> None:
        _wait_for(lambda: stored().pedals == spans, f"pedals {spans} saved")

    # A window tall enough to show the roll's lanes.
    context = signed_in_context(browser, app, user, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    page.goto(app.url)
    page.get_by_test_id("nav-projects").click()
    page.wait_for_url(re.compile(r"/projects/?$"))
    page.get_by_test_id("project-link").filter(has_text=TITLE).click()
    page.wait_for_url("**/editor/*", timeout=30_000)
    expect(page.get_by_test_id("piano-roll")).to_be_visible(timeout=30_000)
    page.wait_for_function("window.__keycraft !== undefined")
    page.get_by_test_id("piano-roll").scroll_into_view_if_needed()
    lane = page.get_by_test_id("pedal-lane")
    said = page.get_by_test_id("roll-announcements")

    # The stored span is shown; the lane says what it holds.
    _shown(page, SEEDED_SPAN)
    expect(lane).to_have_accessible_name(re.compile(r"^Pedal lane, 1 pedal span:"))

    # Draw: the draw tool, a drag in the lane from beat 2 to bar 2, snapped to the grid.
    _drag(page, _lane_point(page, 480), _lane_point(page, 1920))
    expect(said).to_contain_text("Pedal down bar 1 beat 2 to bar 2 beat 1")
    saved(PedalSpan(480, 1920), SEEDED_SPAN)
    expect(lane).to_have_accessible_name(re.compile(r"^Pedal lane, 2 pedal spans:"))

    # Move: the body dragged a beat earlier.
    _drag(page, _lane_point(page, 1200), _lane_point(page, 720))
    expect(said).to_contain_text("Pedal moved: down bar 1 beat 1 to bar 1 beat 4")
    saved(PedalSpan(0, 1440), SEEDED_SPAN)

    # Resize: the end dragged to bar 3, then further, where the seeded span stops it.
    _drag(page, _lane_point(page, 1440, dx=-2), _lane_point(page, 3840))
    expect(said).to_contain_text("Pedal now down bar 1 beat 1 to bar 3 beat 1")
    saved(PedalSpan(0, 3840), SEEDED_SPAN)
    _drag(page, _lane_point(page, 3840, dx=-2), _lane_point(page, 4800))
    saved(PedalSpan(0, 4320), SEEDED_SPAN)

    # Undo and redo take pedal and note edits in the order they were made.
    page.get_by_test_id("undo").click()
    _shown(page, PedalSpan(0, 3840), SEEDED_SPAN)
    saved(PedalSpan(0, 3840), SEEDED_SPAN)
    page.get_by_test_id("redo").click()
    _shown(page, PedalSpan(0, 4320), SEEDED_SPAN)
    page.get_by_test_id("undo").click()
    _shown(page, PedalSpan(0, 3840), SEEDED_SPAN)
    note_at = page.evaluate("window.__keycraft.pointFor(3840, 72)")
    page.mouse.click(note_at["x"] + 2, note_at["y"])  # a note drawn after the pedal edit
    expect(page.get_by_test_id("note-count")).to_have_text("2")
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("note-count")).to_have_text("1")
    _shown(page, PedalSpan(0, 3840), SEEDED_SPAN)
    page.keyboard.press("Control+z")
    _shown(page, PedalSpan(0, 1440), SEEDED_SPAN)
    expect(page.get_by_test_id("note-count")).to_have_text("1")
    page.keyboard.press("Control+Shift+z")
    _shown(page, PedalSpan(0, 3840), SEEDED_SPAN)
    page.keyboard.press("Control+Shift+z")
    expect(page.get_by_test_id("note-count")).to_have_text("2")
    _wait_for(lambda: len(stored().notes) == 2, "the redone note saved")
    saved(PedalSpan(0, 3840), SEEDED_SPAN)

    # Delete: a click selects the seeded span, Delete removes it.
    page.mouse.click(*_lane_point(page, 4800))
    expect(said).to_contain_text("Pedal 2 of 2 selected: down bar 3 beat 2 to bar 3 beat 4")
    page.keyboard.press("Delete")
    expect(said).to_contain_text("Pedal deleted (was down bar 3 beat 2 to bar 3 beat 4)")
    _shown(page, PedalSpan(0, 3840))
    saved(PedalSpan(0, 3840))

    # From the keyboard: the focused lane picks a span with the arrows (Escape lets go).
    lane.focus()
    expect(lane).to_be_focused()
    expect(lane).to_have_accessible_name(re.compile(r"^Pedal lane, 1 pedal span:"))
    page.keyboard.press("ArrowRight")
    expect(said).to_contain_text("Pedal 1 of 1 selected: down bar 1 beat 1 to bar 3 beat 1")
    assert page.evaluate("window.__keycraft.pedalSelected") == 0
    page.keyboard.press("Escape")
    page.wait_for_function("window.__keycraft.pedalSelected === null")

    # Nothing is lost on reload.
    expect(page.get_by_test_id("save-status")).to_have_text("Saved")
    page.reload()
    page.wait_for_function("window.__keycraft !== undefined")
    _shown(page, PedalSpan(0, 3840))
    assert stored().pedals == (PedalSpan(0, 3840),)

    # The MIDI file holds the pedal as controller 64 at the span's ticks.
    with page.expect_download() as download_info:
        page.get_by_test_id("export-midi").click()
    data = download_info.value.path().read_bytes()
    song = mido.MidiFile(file=io.BytesIO(data))
    pedal_changes = []
    for track in song.tracks:
        at = 0
        for message in track:
            at += message.time
            if message.type == "control_change" and message.control == 64:
                pedal_changes.append((at * 480 // song.ticks_per_beat, message.value))
    assert sorted(set(pedal_changes)) == [(0, 127), (3840, 0)]
    assert import_midi(data).pedals == (PedalSpan(0, 3840),)

    # Played, C4 (released at tick 960, pedal down) rings until the pedal lifts at 3840;
    # the note at 3840, after the pedal, stops at its own end.
    page.get_by_test_id("play").click()
    page.wait_for_function(
        """() => {
          const more = window.__keycraft.scheduledReleases();
          window.__releases = (window.__releases || []).concat(more);
          return window.__releases.some((r) => r.start_tick === 3840);
        }""",
        timeout=15_000,
    )
    releases = page.evaluate("window.__releases")
    page.get_by_test_id("stop").click()
    by_start = {r["start_tick"]: r for r in releases}
    assert by_start[0]["release_tick"] == 3840
    assert by_start[0]["release_s"] == page.evaluate("window.__keycraft.secondsAtTick(3840)")
    assert by_start[3840]["release_tick"] == 3960
    assert console.errors == []
    context.close()
