"""Editor benchmark with a 3,000-note project: open, drag, commit-to-save, play.

Run: ``.venv/bin/python -m bench.editor_bench`` (builds and serves the app in prod mode,
then drives Debian's Chromium). Prints the figures and writes ``bench/results/editor.json``.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from keycraft.services.domain import Note
from keycraft.services.repository.port import Repository
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.support.app_server import RunningApp, start_app
from tests.support.factories import make_project
from tests.support.signed_in import create_user, signed_in_context

NOTE_COUNT = 3000
RESULTS = Path(__file__).resolve().parent / "results" / "editor.json"


@dataclass
class Figures:
    """Every measured figure (milliseconds unless named otherwise)."""

    open_to_interactive_ms: list[float]
    drag_fps: list[float]
    move_save_ms: list[float]
    delete_save_ms: list[float]
    paste_100_save_ms: list[float]
    play_start_ms: list[float]
    play_failures: int = 0


def bench_notes() -> tuple[Note, ...]:
    """3,000 notes, 24 pitches around middle C, a new note every 32nd."""
    return tuple(Note(i * 60, 120, 48 + i % 24, 40 + i % 80) for i in range(NOTE_COUNT))


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def wait_until(check: Callable[[], bool], timeout_s: float = 10.0) -> float:
    """Poll ``check`` every millisecond; return when it became true (perf_counter)."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        if check():
            return time.perf_counter()
        time.sleep(0.001)
    raise TimeoutError("condition not met")


def stored_notes(repo: Repository, user_id: str, project_id: str) -> tuple[Note, ...]:
    """The project's notes as saved."""
    project = repo.get_project(user_id, project_id)
    assert project is not None
    return project.notes


class VersionProbe:
    """Reads a project's stored version with one indexed SQLite query.

    Cheap enough to poll every millisecond without taking CPU from the server under test
    (decoding 3,000 notes per poll would).
    """

    def __init__(self, database: Path, project_id: str) -> None:
        self._db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, check_same_thread=False)
        self._project_id = project_id

    def version(self) -> int:
        """The project's current version."""
        row = self._db.execute(
            "SELECT version FROM projects WHERE id = ?", (self._project_id,)
        ).fetchone()
        return int(row[0])

    def saved_after(self, before: int) -> Callable[[], bool]:
        """A check that is true once a save after version ``before`` landed."""
        return lambda: self.version() > before


def open_editor(page: Page, url: str) -> float:
    """Open the editor; return ms from navigation start until 3,000 notes are on the canvas."""
    page.goto(url)
    page.wait_for_function(f"window.__keycraft && window.__keycraft.noteCount === {NOTE_COUNT}")
    page.get_by_test_id("note-count").filter(has_text=str(NOTE_COUNT)).wait_for()
    # The first frame after the notes arrive is drawn on the next animation frame.
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    loaded = page.evaluate("window.__keycraft.loadedAtMs")
    return float(loaded)


def point(page: Page, tick: int, pitch: int) -> tuple[float, float]:
    """Page coordinates of a tick and pitch."""
    p = page.evaluate(f"window.__keycraft.pointFor({tick}, {pitch})")
    return p["x"] + 2, p["y"]


DRAG_SCRIPT = """
async ([x, y]) => {
  // A 60 Hz mouse: one pointermove per animation frame for two seconds.
  const canvas = document.querySelector('[data-testid="piano-roll"] canvas');
  window.__keycraft.drawTimes();
  const started = performance.now();
  let step = 0;
  while (performance.now() - started < 2000) {
    await new Promise((r) => requestAnimationFrame(r));
    step += 1;
    canvas.dispatchEvent(new PointerEvent("pointermove", {
      clientX: x + (step % 240), clientY: y + ((step % 40) - 20), bubbles: true, pointerId: 1,
    }));
  }
  await new Promise((r) => requestAnimationFrame(r));
  return window.__keycraft.drawTimes();
}
"""


def drag_fps(page: Page, tick: int, pitch: int) -> float:
    """Drag a note for two seconds with a 60 Hz pointer; return frames drawn per second."""
    x, y = point(page, tick, pitch)
    page.mouse.move(x, y)
    page.mouse.down()
    times = page.evaluate(DRAG_SCRIPT, [x, y])
    page.mouse.up()
    # Put the note back so every run drags the same note and the count stays 3,000.
    page.keyboard.press("Control+z")
    page.wait_for_function(
        f"window.__keycraft.notes().some(n => n.start_tick === {tick} && n.pitch_midi === {pitch})"
    )
    return (len(times) - 1) / ((times[-1] - times[0]) / 1000)


def run(app: RunningApp) -> Figures:
    """Drive the editor and collect every figure."""
    repo = app.repository()
    user = create_user(app)
    project = replace(make_project(user, title="Bench", notes=0), notes=bench_notes())
    repo.create_project(project)
    url = f"{app.url}/editor/{project.id}"
    figures = Figures([], [], [], [], [], [])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = signed_in_context(browser, app, user)
        page = context.new_page()
        page.set_viewport_size({"width": 1440, "height": 900})
        for _ in range(5):
            figures.open_to_interactive_ms.append(open_editor(page, url))

        for _ in range(3):
            figures.drag_fps.append(drag_fps(page, 0, 48))

        # Commit latency: key press in the browser → saved in the database.
        probe = VersionProbe(app.data_dir / "keycraft.db", project.id)
        page.evaluate("window.keycraftPianoRoll.zoom(0.25)")  # 24 px a beat: 30 bars visible
        page.get_by_test_id("piano-roll").focus()
        x, y = point(page, 60 * 25, 48 + 25 % 24)
        page.mouse.click(x, y)
        for i in range(20):
            before = probe.version()
            pressed = time.perf_counter()
            page.keyboard.press("ArrowUp" if i % 2 == 0 else "ArrowDown")
            figures.move_save_ms.append((wait_until(probe.saved_after(before)) - pressed) * 1000)
        for i in range(20):
            x, y = point(page, 60 * (100 + i * 3), 48 + (100 + i * 3) % 24)
            page.mouse.click(x, y)
            # A person takes longer than this round trip between clicking and pressing Delete.
            page.get_by_test_id("selection-count").filter(has_text="1").wait_for()
            before = probe.version()
            pressed = time.perf_counter()
            page.keyboard.press("Delete")
            figures.delete_save_ms.append((wait_until(probe.saved_after(before)) - pressed) * 1000)
        page.keyboard.press("Control+a")
        page.keyboard.press("Escape")
        # Select 100 notes (i = 199..298): a rubber band over ticks 12030–17910.
        page.get_by_test_id("tool").get_by_role("radio").nth(1).click()
        page.wait_for_function("window.__keycraft.tool === 'select'")
        band_start = page.evaluate("window.__keycraft.pointFor(12030, 72)")
        band_end = page.evaluate("window.__keycraft.pointFor(17910, 47)")
        x0, y0 = band_start["x"] - 1, band_start["y"]
        x1, y1 = band_end["x"] - 1, band_end["y"]
        page.mouse.move(x0, y0 - 8)
        page.mouse.down()
        page.mouse.move(x1, y1 + 8, steps=5)
        page.mouse.up()
        page.wait_for_function("window.__keycraft.selectedCount === 100")
        page.get_by_test_id("selection-count").filter(has_text="100").wait_for()
        page.keyboard.press("Control+c")
        for _ in range(10):
            before = probe.version()
            pressed = time.perf_counter()
            page.keyboard.press("Control+v")
            figures.paste_100_save_ms.append(
                (wait_until(probe.saved_after(before)) - pressed) * 1000
            )

        expected = NOTE_COUNT - 20 + 10 * 100
        assert len(stored_notes(repo, user.id, project.id)) == expected, "edits were not all saved"

        for _ in range(5):
            page.get_by_test_id("piano-roll").focus()
            page.keyboard.press(" ")
            try:
                page.wait_for_function("window.__keycraft.firstSoundMs !== null", timeout=5000)
                figures.play_start_ms.append(float(page.evaluate("window.__keycraft.firstSoundMs")))
            except PlaywrightTimeout:
                state = page.evaluate(
                    "[window.__keycraft.transportState, window.__keycraft.playheadTick,"
                    " window.__keycraft.instrument, window.__keycraft.mounts]"
                )
                print(
                    f"play: no note sounded within 5 s (transport, tick, samples, mounts) {state}"
                )
                figures.play_failures += 1
            page.get_by_test_id("stop").click()
            page.wait_for_function("window.__keycraft.transportState === 'stopped'")
        browser.close()
    return figures


def summary(figures: Figures) -> dict[str, dict[str, float]]:
    """Median, p95 and worst of each figure."""
    out: dict[str, dict[str, float]] = {"play_failures": {"count": figures.play_failures}}
    for name, values in asdict(figures).items():
        if not isinstance(values, list):
            continue
        out[name] = {
            "median": round(statistics.median(values), 1),
            "p95": round(p95(values), 1),
            "worst": round(max(values) if "fps" not in name else min(values), 1),
            "runs": len(values),
        }
    return out


def main() -> None:
    """Build and serve the app, run the benchmark, print and store the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        app = start_app(Path(tmp))
        try:
            figures = run(app)
        finally:
            app.server.stop()
    result = summary(figures)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"summary": result, "raw": asdict(figures)}, indent=2))
    for name, values in result.items():
        print(f"{name:24} {values}")


if __name__ == "__main__":
    main()
