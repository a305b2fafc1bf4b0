"""Journey: a visitor plays the landing page's transcribed demo, on a phone and a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from keycraft.routes import DEMO_RECORDING
from keycraft.services.demo_piece import demo_piece
from tests.support.app_server import RunningApp
from tests.support.page_weight import MAX_FIRST_LOAD_BYTES, transferred_bytes
from tests.support.visitors import DESKTOP, DESKTOP_UA, PHONE, PHONE_UA, visitor_context

DEMO_NOTES = 45
STATE = "window.__keycraft"

# True once some note sounding at the playhead has its key painted in the playing colour
# (#f5a524) on the roll's keyboard: the canvas pixel is read, not the component's memory.
_KEY_LIT = """() => {
  const k = window.__keycraft;
  const canvas = document.querySelector('[data-testid="piano-roll"] canvas');
  if (!k || !canvas || k.transportState !== 'started') return false;
  const rect = canvas.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  const ctx = canvas.getContext('2d');
  const tick = k.playheadTick;
  return k.notes().some((n) => {
    if (tick < n.start_tick + 30 || tick > n.start_tick + n.duration_ticks - 30) return false;
    const y = k.pointFor(n.start_tick, n.pitch_midi).y - rect.top;
    if (y < 30 || y > rect.height - 6) return false;
    const [r, g, b] = ctx.getImageData(Math.round(10 * dpr), Math.round(y * dpr), 1, 1).data;
    return r > 230 && g > 150 && g < 180 && b < 60;
  });
}"""

_A_VISIBLE_NOTE = """() => {
  const k = window.__keycraft;
  const rect = document.querySelector('[data-testid="piano-roll"] canvas').getBoundingClientRect();
  return k.notes().map((n) => k.noteRect(n.id))
    .find((r) => r.y > rect.top + 30 && r.y + r.height < rect.bottom && r.x > rect.left + 70);
}"""


# Every note of the piece inside the roll's visible window, in time and in pitch.
_OUTSIDE_THE_VIEW = """() => {
  const k = window.__keycraft;
  const [firstTick, lastTick] = k.visibleTicks;
  const [lowPitch, highPitch] = k.visiblePitches;
  return k.notes().filter((n) => n.start_tick < firstTick
    || n.start_tick + n.duration_ticks > lastTick
    || n.pitch_midi < lowPitch || n.pitch_midi > highPitch);
}"""


def _assert_the_whole_piece_fills_the_view(page: Page) -> None:
    assert page.evaluate(_OUTSIDE_THE_VIEW) == []
    first_tick, last_tick = page.evaluate(f"{STATE}.visibleTicks")
    piece = demo_piece()
    # Filled, not merely shown: the eight bars span the width, the pitch range the height.
    assert first_tick == pytest.approx(0, abs=1)
    assert last_tick == pytest.approx(piece.loop_end_tick, rel=0.01)
    low, high = page.evaluate(f"{STATE}.visiblePitches")
    pitches = [n.pitch_midi for n in piece.notes]
    assert high - low <= max(pitches) - min(pitches) + 2 * 2 + 2


def _watch(page: Page) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    requested: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
    )
    page.on("request", lambda r: requested.append(r.url))
    return errors, requested


def _media(requested: list[str]) -> list[str]:
    return [url for url in requested if "/piano/" in url or url.endswith(DEMO_RECORDING)]


@pytest.mark.parametrize(
    ("viewport", "user_agent"), [(PHONE, PHONE_UA), (DESKTOP, DESKTOP_UA)], ids=["phone", "desktop"]
)
def test_the_demo_plays_the_recording_under_moving_notes_then_stops(
    app: RunningApp, browser: Browser, viewport: ViewportSize, user_agent: str
) -> None:
    context = visitor_context(browser, viewport, user_agent)
    page = context.new_page()
    errors, requested = _watch(page)
    page.goto(app.url)
    page.wait_for_function(f"() => {STATE} && {STATE}.noteCount === {DEMO_NOTES}")
    _assert_the_whole_piece_fills_the_view(page)
    page.wait_for_load_state("networkidle")
    # Samples and the recording wait for play; the page with Tone.js stays within budget.
    assert _media(requested) == []
    assert transferred_bytes(page) < MAX_FIRST_LOAD_BYTES
    assert page.evaluate(f"{STATE}.transportState") == "stopped"

    page.get_by_test_id("demo-play").click()
    page.wait_for_function(f"() => {STATE}.transportState === 'started'")
    assert page.evaluate(f"{STATE}.recording") == "loaded"
    assert any(url.endswith(DEMO_RECORDING) for url in requested)
    page.wait_for_function(f"() => {STATE}.playheadTick > 960")  # past the second beat
    page.wait_for_function(_KEY_LIT)
    _assert_the_whole_piece_fills_the_view(page)  # playing does not scroll it away
    # Hearing the recording, the notes are silent: none has been scheduled to sound yet, and
    # none of the piano's samples is fetched until a note plays.
    assert page.evaluate(f"{STATE}.firstSoundMs") is None
    assert [url for url in requested if "/piano/" in url] == []
    page.get_by_role("radio", name="The notes").click()
    page.wait_for_function(f"() => {STATE}.firstSoundMs !== null")
    page.wait_for_function(
        "() => /^[1-9]/.test(document.querySelector('[data-piano-samples]')?.dataset.pianoSamples)"
    )
    assert any("/piano/v10/" in url for url in requested)
    # After the eighth bar the piece starts again rather than running into empty bars.
    page.wait_for_function(
        f"() => {STATE}.transportState === 'started' && {STATE}.playheadTick < 480",
        timeout=20_000,
    )

    page.get_by_test_id("demo-stop").click()
    page.wait_for_function(f"() => {STATE}.transportState === 'stopped'")
    assert page.evaluate(f"{STATE}.playheadTick") == 0
    assert errors == []
    context.close()


def test_the_demo_cannot_be_edited_and_space_plays_only_when_it_has_focus(
    app: RunningApp, browser: Browser
) -> None:
    context = visitor_context(browser)
    page = context.new_page()
    errors, _ = _watch(page)
    page.goto(app.url)
    page.wait_for_function(f"() => {STATE} && {STATE}.noteCount === {DEMO_NOTES}")
    roll = page.get_by_test_id("piano-roll")
    expect(roll).to_have_attribute(
        "aria-label", "Piano roll, read-only: press Space to play or pause"
    )
    before = page.evaluate(f"{STATE}.notes()")
    # Space on the page scrolls it as usual; the demo does not start.
    page.locator("body").press("Space")
    assert page.evaluate(f"{STATE}.transportState") == "stopped"

    # Drag a note, draw on empty grid, select all, delete, undo: nothing changes.
    box = roll.bounding_box()
    assert box is not None
    note = page.evaluate(_A_VISIBLE_NOTE)
    page.mouse.move(note["x"] + 4, note["y"] + 4)
    page.mouse.down()
    page.mouse.move(note["x"] + 80, note["y"] - 30, steps=5)
    page.mouse.up()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.9)
    for key in ("Control+a", "Delete", "Backspace", "ArrowUp", "Control+z", "Control+v", "q"):
        roll.press(key)
    assert page.evaluate(f"{STATE}.notes()") == before
    assert page.evaluate(f"{STATE}.selectedCount") == 0

    roll.focus()
    roll.press("Space")
    page.wait_for_function(f"() => {STATE}.transportState === 'started'")
    roll.press("Space")
    page.wait_for_function(f"() => {STATE}.transportState === 'paused'")
    assert errors == []
    context.close()
