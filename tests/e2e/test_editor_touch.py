"""The editor on phones and tablets: it fits the screen, and the roll answers to fingers.

Each size runs in a touch, mobile context (Chromium's phone emulation); fingers are real
touch events sent through the DevTools protocol, which Chromium turns into the pointer events
a phone sends.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, CDPSession, Page, ViewportSize, expect

from keycraft.services.domain import Note
from keycraft.services.storage.local import LocalStorage
from tests.e2e.conftest import ConsoleLog
from tests.e2e.test_editor import _point, _stored, _wait_for
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.recordings import tone_wav
from tests.support.signed_in import create_user, signed_in_context
from tests.support.visitors import PHONE_UA

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
SIZES: dict[str, ViewportSize] = {
    "phone-390x844": {"width": 390, "height": 844},
    "tablet-768x1024": {"width": 768, "height": 1024},
    "tablet-1024x768": {"width": 1024, "height": 768},
}
NOTES = tuple(Note(i * 480, 240, 60 + i % 12, 90) for i in range(48))  # 12 bars of quarters
TITLE = "Prelude in C on the bus"
BAR_TICKS = 1920  # a 4/4 bar at 480 ticks per quarter


@dataclass
class TouchEditor:
    """A signed-in touch page at one size, its DevTools session, and the seeded project."""

    page: Page
    cdp: CDPSession
    viewport: ViewportSize
    name: str
    user_id: str
    project_id: str


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def touch_editor(
    request: pytest.FixtureRequest, browser: Browser, app: RunningApp, console: ConsoleLog
) -> Iterator[TouchEditor]:
    """A phone or tablet signed in with a project that has notes and a recording."""
    viewport = SIZES[request.param]
    user = create_user(app)
    project = replace(make_project(user, title=TITLE, notes=0), notes=NOTES)
    key = f"users/{user.id}/projects/{project.id}/source.wav"
    LocalStorage(Path(app.env["MEDIA_DIR"])).put(key, tone_wav(30.0), "audio/wav")
    app.repository().create_project(replace(project, source_audio_key=key))
    context = signed_in_context(
        browser,
        app,
        user,
        viewport=viewport,
        device_scale_factor=1,
        has_touch=True,
        is_mobile=True,
        user_agent=PHONE_UA,
    )
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    cdp = context.new_cdp_session(page)
    yield TouchEditor(page, cdp, viewport, request.param, user.id, project.id)
    context.close()


def _touch(
    cdp: CDPSession, kind: str, points: list[tuple[float, float]], at_s: float | None = None
) -> None:
    touch_points = [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]
    event: dict[str, Any] = {"type": kind, "touchPoints": touch_points}
    if at_s is not None:
        event["timestamp"] = at_s
    cdp.send("Input.dispatchTouchEvent", event)


def _swipe(
    cdp: CDPSession, starts: list[tuple[float, float]], ends: list[tuple[float, float]]
) -> None:
    """Fingers down at ``starts``, moved in steps to ``ends``, held still a moment, lifted.

    The events carry timestamps a frame apart, and the fingers rest before they lift, as a
    hand does: sent back to back they would read as a flick, whose fling swallows the next tap.
    """
    at_s = time.time()
    frame_s = 1 / 60
    _touch(cdp, "touchStart", starts, at_s)
    steps = 8
    for step in range(1, steps + 1):
        f = step / steps
        at_s += frame_s
        _touch(
            cdp,
            "touchMove",
            [
                (sx + (ex - sx) * f, sy + (ey - sy) * f)
                for (sx, sy), (ex, ey) in zip(starts, ends, strict=True)
            ],
            at_s,
        )
    at_s += 0.2
    _touch(cdp, "touchMove", ends, at_s)
    # Fingers lift one at a time (the protocol releases the points left out).
    for lifted in range(1, len(ends) + 1):
        _touch(cdp, "touchEnd", ends[: len(ends) - lifted], at_s)


def _png_width(png: bytes) -> int:
    (width,) = struct.unpack(">I", png[16:20])  # IHDR: the width follows the signature
    return int(width)


def _overflow(page: Page, selector: str) -> float:
    """How far the right edge of the widest visible element in ``selector`` passes the window."""
    return float(
        page.evaluate(
            """(selector) => Math.max(0, ...Array.from(document.querySelectorAll(selector))
                .map((el) => el.getBoundingClientRect())
                .filter((r) => r.width > 0 && r.height > 0)
                .map((r) => r.right - window.innerWidth))""",
            selector,
        )
    )


def _no_sideways_scroll(t: TouchEditor, shot: str) -> None:
    """The page is no wider than the window: by its scroll width and a full-page screenshot."""
    page = t.page
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= t.viewport["width"], f"{shot}: page is {scroll_width} px wide"
    # The one kept is what the screen shows; a full-page capture is as wide as the document.
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"touch-{t.name}-{shot}.png")
    assert _png_width(page.screenshot(full_page=True)) == t.viewport["width"], shot


def _open_editor(t: TouchEditor, app: RunningApp) -> None:
    page = t.page
    page.goto(app.url)
    page.get_by_role("banner").get_by_test_id("nav-projects").tap()
    page.get_by_test_id("project-link").filter(has_text=TITLE).tap()
    page.wait_for_url(f"**/editor/{t.project_id}", timeout=30_000)
    expect(page.get_by_test_id("piano-roll")).to_be_visible(timeout=30_000)
    page.wait_for_function(f"window.__keycraft && window.__keycraft.noteCount === {len(NOTES)}")


def _saved_notes(app: RunningApp, t: TouchEditor) -> tuple[Note, ...]:
    return _stored(app, t.user_id, t.project_id).notes


def _wait_saved(app: RunningApp, t: TouchEditor, check: Any, what: str) -> tuple[Note, ...]:
    _wait_for(lambda: check(_saved_notes(app, t)), what)
    return _saved_notes(app, t)


def test_the_editor_fits_the_screen_and_the_roll_takes_most_of_it(
    app: RunningApp, touch_editor: TouchEditor, console: ConsoleLog
) -> None:
    t = touch_editor
    page = t.page
    _open_editor(t, app)
    width, height = t.viewport["width"], t.viewport["height"]

    # The title keeps a usable width and the controls wait behind one button.
    title = page.get_by_test_id("project-title")
    expect(title).to_have_value(TITLE)
    title_box = title.bounding_box()
    assert title_box is not None and title_box["width"] >= 160, title_box
    assert title.evaluate("(input) => input.scrollWidth <= input.clientWidth")  # not cut off
    expect(page.get_by_test_id("editor-controls")).to_be_hidden()
    expect(page.get_by_test_id("controls-toggle")).to_be_visible()
    _no_sideways_scroll(t, "editor")
    assert _overflow(page, "header *") <= 0

    # Most of the screen is roll, showing at least two bars.
    roll = page.get_by_test_id("piano-roll").bounding_box()
    assert roll is not None
    assert roll["width"] >= width - 48
    assert roll["height"] >= 0.7 * height, roll
    assert roll["y"] + roll["height"] <= height, roll  # all of it on screen, lane and scrollbar
    first, last = page.evaluate("window.__keycraft.visibleTicks")
    bar_lines = page.evaluate(f"window.__keycraft.barLines({last})")
    assert last - first >= 2 * BAR_TICKS, (first, last)
    assert len([b for b in bar_lines if b["tick"] >= first]) >= 2

    # The controls sheet: everything fits, "Solo recording" included, then it closes.
    page.get_by_test_id("controls-toggle").tap()
    sheet = page.get_by_test_id("editor-controls")
    expect(sheet).to_be_visible()
    solo = sheet.get_by_role("button", name="Solo recording")
    expect(solo).to_be_visible()
    solo.scroll_into_view_if_needed()
    solo_box = solo.bounding_box()
    assert solo_box is not None and solo_box["x"] + solo_box["width"] <= width
    assert _overflow(page, "[data-testid='editor-controls'] *") <= 0
    _no_sideways_scroll(t, "controls")
    # Its dropdowns open above it.
    sheet.get_by_test_id("snap").tap()
    page.get_by_role("option", name="1/8", exact=True).tap()
    expect(sheet.get_by_test_id("snap")).to_have_text("1/8")
    page.get_by_test_id("controls-close").tap()
    expect(sheet).to_be_hidden()
    # With a keyboard (a tablet's): Escape closes the sheet and "Controls" has focus again;
    # while one of its dropdowns is open, Escape closes only the dropdown.
    page.get_by_test_id("controls-toggle").focus()
    page.keyboard.press("Enter")
    expect(sheet).to_be_visible()
    sheet.get_by_test_id("snap").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("option", name="1/8", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("option", name="1/8", exact=True)).to_be_hidden()
    expect(sheet).to_be_visible()
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    expect(page.get_by_test_id("controls-toggle")).to_be_focused()
    assert console.errors == []


def test_fingers_add_move_zoom_and_act_on_notes_and_play(
    app: RunningApp, touch_editor: TouchEditor, console: ConsoleLog
) -> None:
    t = touch_editor
    page, cdp = t.page, t.cdp
    _open_editor(t, app)
    low, high = page.evaluate("window.__keycraft.visiblePitches")
    pitch = min(high - 2, 84)
    assert pitch > 72 and pitch >= low  # above the seeded notes, inside the view

    # Tap: a note where the finger lands (a sixteenth, the snap grid, at tick 240).
    page.touchscreen.tap(*_point(page, 250, pitch))
    added = _wait_saved(app, t, lambda notes: len(notes) == len(NOTES) + 1, "the tapped note")
    (note,) = [n for n in added if n.pitch_midi == pitch]
    assert note.start_tick == 240

    # Drag: the note follows the finger, a beat later and two keys down.
    (row,) = [r for r in page.evaluate("window.__keycraft.notes()") if r["pitch_midi"] == pitch]
    box = page.evaluate(f"window.__keycraft.noteRect({row['id']!r})")
    start = (box["x"] + 3, box["y"] + box["height"] / 2)
    _swipe(cdp, [start], [_point(page, 240 + 480 + 3, pitch - 2)])
    moved = _wait_saved(
        app, t, lambda notes: any(n.pitch_midi == pitch - 2 for n in notes), "the moved note"
    )
    assert [n.start_tick for n in moved if n.pitch_midi == pitch - 2] == [720]
    assert len(moved) == len(NOTES) + 1

    # Long press: the selection actions; Delete takes the note away.
    (row,) = [r for r in page.evaluate("window.__keycraft.notes()") if r["pitch_midi"] == pitch - 2]
    box = page.evaluate(f"window.__keycraft.noteRect({row['id']!r})")
    held = (box["x"] + 3, box["y"] + box["height"] / 2)
    _touch(cdp, "touchStart", [held])
    actions = page.get_by_test_id("roll-actions")
    expect(actions).to_be_visible()
    _touch(cdp, "touchEnd", [])
    expect(actions.get_by_role("menuitem")).to_have_text(
        ["Cut", "Copy", "Paste", "Duplicate", "Quantize", "Select all", "Delete"]
    )
    actions.get_by_role("menuitem", name="Delete").tap()
    expect(actions).to_be_hidden()
    _wait_saved(app, t, lambda notes: len(notes) == len(NOTES), "the deleted note")
    assert page.evaluate("window.__keycraft.noteCount") == len(NOTES)

    # Tap on a note selects it (and adds nothing).
    seeded = page.evaluate(
        "window.__keycraft.noteRect(window.__keycraft.notes().find((n) => n.start_tick === 0).id)"
    )
    page.touchscreen.tap(seeded["x"] + 3, seeded["y"] + seeded["height"] / 2)
    expect(page.get_by_test_id("selection-count")).to_have_text("1")
    assert page.evaluate("window.__keycraft.noteCount") == len(NOTES)

    # Pinch: two fingers spread zoom in; moved together they pan.
    before_px = page.evaluate("window.__keycraft.pxPerBeat")
    mid_x, mid_y = _point(page, 1440, pitch - 6)
    _swipe(
        cdp, [(mid_x - 30, mid_y), (mid_x + 30, mid_y)], [(mid_x - 70, mid_y), (mid_x + 70, mid_y)]
    )
    page.wait_for_function(f"window.__keycraft.pxPerBeat > {before_px * 1.5}")
    before_x = page.evaluate("window.__keycraft.scrollXPx")
    _swipe(
        cdp,
        [(mid_x, mid_y - 20), (mid_x, mid_y + 20)],
        [(mid_x - 80, mid_y - 20), (mid_x - 80, mid_y + 20)],
    )
    page.wait_for_function(f"window.__keycraft.scrollXPx >= {before_x + 60}")
    assert page.evaluate("window.__keycraft.noteCount") == len(NOTES)  # no stray note
    # The zoom is kept with the project.
    _wait_for(
        lambda: _stored(app, t.user_id, t.project_id).settings.px_per_beat > before_px * 1.5,
        "the saved zoom",
    )

    # Play and stop from the compact bar.
    page.get_by_test_id("compact-play").tap()
    page.wait_for_function("window.__keycraft.transportState === 'started'")
    page.wait_for_function("window.__keycraft.playheadTick > 240")
    page.get_by_test_id("compact-stop").tap()
    page.wait_for_function("window.__keycraft.transportState === 'stopped'")
    _no_sideways_scroll(t, "after-gestures")
    assert console.errors == []
