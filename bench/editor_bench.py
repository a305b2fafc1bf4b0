"""Editor benchmark at several project sizes: open, drag, commit-to-save, play, memory.

Run: ``.venv/bin/python -m bench.editor_bench [NOTES ...]`` (default ``3000 20000``; builds
and serves the app in prod mode once, then drives Debian's Chromium through each size in
turn). Prints the figures side by side and writes ``bench/results/editor.json``.

Every size follows the same edits, so the largest (the product's ``MAX_NOTES``) stays
within the limit: the project opens with N notes; 20 single notes are moved and deleted
(N - 20); 100 notes are copied and then deleted (N - 120); then each of 10 pastes of those
100 notes is followed by deleting the pasted notes again, so the project never holds more
than N - 20 notes and every paste fits.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from keycraft.services.domain import Note, Project
from keycraft.services.notes.edits import MAX_NOTES
from keycraft.services.repository.port import Repository
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.support.app_server import RunningApp, start_app
from tests.support.factories import make_project
from tests.support.signed_in import User, create_user, signed_in_context

NOTE_COUNTS = (3000, MAX_NOTES)
MEMORY_EDITORS = 4
"""How many editors each size opens (each its own browser context) to weigh one."""
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
    server_rss_per_editor_mb: list[float] | None = None
    move_in_browser_ms: list[float] | None = None
    """Of each move: key down until the browser sends the edit (the rest is socket + server)."""
    delete_in_browser_ms: list[float] | None = None
    paste_100_in_browser_ms: list[float] | None = None
    open_notes_arrive_ms: list[float] | None = None
    """Of each open: navigation start until the socket message with the notes arrived."""


def bench_notes(count: int) -> tuple[Note, ...]:
    """``count`` notes, 24 pitches around middle C, a new note every 32nd."""
    return tuple(Note(i * 60, 120, 48 + i % 24, 40 + i % 80) for i in range(count))


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
    (decoding thousands of notes per poll would).
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


BIG_FRAME_BYTES = 100_000
"""A socket message this large carries the notes (the others are small state changes)."""


def open_editor(
    page: Page, url: str, count: int, notes_frame_ms: list[float] | None = None
) -> float:
    """Open the editor; return ms from navigation start until ``count`` notes are on the canvas.

    Appends to ``notes_frame_ms`` when the socket message carrying the notes arrived (ms
    after the navigation began, on this process's clock): what comes before it is the
    page load and the server, what comes after it the browser taking the notes in.
    """
    started = time.perf_counter()
    arrivals: list[float] = []

    def on_frame(payload: str | bytes) -> None:
        if len(payload) > BIG_FRAME_BYTES:
            arrivals.append((time.perf_counter() - started) * 1000)

    page.once("websocket", lambda socket: socket.on("framereceived", on_frame))
    page.goto(url)
    page.wait_for_function(
        f"window.__keycraft && window.__keycraft.noteCount === {count}", timeout=60_000
    )
    page.get_by_test_id("note-count").filter(has_text=str(count)).wait_for()
    # The first frame after the notes arrive is drawn on the next animation frame.
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    loaded = page.evaluate("window.__keycraft.loadedAtMs")
    if notes_frame_ms is not None and arrivals:
        notes_frame_ms.append(arrivals[0])
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
    # Put the note back so every run drags the same note and the count stays the same.
    page.keyboard.press("Control+z")
    page.wait_for_function(
        f"window.__keycraft.notes().some(n => n.start_tick === {tick} && n.pitch_midi === {pitch})"
    )
    return (len(times) - 1) / ((times[-1] - times[0]) / 1000)


# Timestamps of every key down and every message the page sends on a socket, to split an
# edit's time between the browser and the server.
SEND_TIMES_SCRIPT = """
window.__benchKeys = [];
window.__benchSends = [];
addEventListener("keydown", () => window.__benchKeys.push(performance.now()), true);
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  window.__benchSends.push(performance.now());
  return send.call(this, data);
};
"""
IN_BROWSER_SCRIPT = """
() => {
  const key = window.__benchKeys[window.__benchKeys.length - 1];
  const sent = window.__benchSends.find((t) => t >= key);
  return sent === undefined ? null : sent - key;
}
"""


def save_ms(
    probe: VersionProbe, act: Callable[[], None], page: Page, in_browser: list[float] | None
) -> float:
    """Do ``act`` (a key press); return ms until the save it causes is in the database.

    Appends to ``in_browser`` the ms from that key down until the page sent the edit.
    """
    before = probe.version()
    pressed = time.perf_counter()
    act()
    saved = (wait_until(probe.saved_after(before), 30.0) - pressed) * 1000
    browser_ms = page.evaluate(IN_BROWSER_SCRIPT)
    if in_browser is not None and browser_ms is not None:
        in_browser.append(float(browser_ms))
    return saved


def select_band(page: Page) -> None:
    """Select the 100 notes i = 199..298 with a rubber band over ticks 12030–17910."""
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


def deleted_everywhere(page: Page, remaining: int) -> None:
    """Wait until the roll and the page's own count both show the deleted notes gone.

    After the next paste the loop waits for the count to show the pasted selection before
    pressing Delete: a count still showing the deleted one would pass that wait before the
    roll has the paste, and the Delete would act on nothing.
    """
    page.wait_for_function(f"window.__keycraft.noteCount === {remaining}")
    page.wait_for_function(
        "document.querySelector('[data-testid=\"selection-count\"]').textContent === '0'"
    )


def edit_figures(page: Page, probe: VersionProbe, figures: Figures, count: int) -> None:
    """Move, delete and paste-100, each timed from key press to saved."""
    delete = partial(page.keyboard.press, "Delete")
    paste = partial(page.keyboard.press, "Control+v")
    page.evaluate("window.keycraftPianoRoll.zoom(0.25)")  # 24 px a beat: 30 bars visible
    page.get_by_test_id("piano-roll").focus()
    x, y = point(page, 60 * 25, 48 + 25 % 24)
    page.mouse.click(x, y)
    for i in range(20):
        # Alt+arrows move the selected notes (plain arrows move the keyboard cursor).
        key = "Alt+ArrowUp" if i % 2 == 0 else "Alt+ArrowDown"
        press = partial(page.keyboard.press, key)
        figures.move_save_ms.append(save_ms(probe, press, page, figures.move_in_browser_ms))
    for i in range(20):
        x, y = point(page, 60 * (100 + i * 3), 48 + (100 + i * 3) % 24)
        page.mouse.click(x, y)
        # A person takes longer than this round trip between clicking and pressing Delete.
        page.get_by_test_id("selection-count").filter(has_text="1").wait_for()
        figures.delete_save_ms.append(save_ms(probe, delete, page, figures.delete_in_browser_ms))
    page.keyboard.press("Control+a")
    page.keyboard.press("Escape")
    select_band(page)
    page.keyboard.press("Control+c")
    # Make room: at MAX_NOTES a paste only fits once as many notes are gone.
    save_ms(probe, delete, page, None)
    deleted_everywhere(page, count - 120)
    for _ in range(10):
        figures.paste_100_save_ms.append(
            save_ms(probe, paste, page, figures.paste_100_in_browser_ms)
        )
        # The pasted notes come back selected: delete them again (not timed).
        page.get_by_test_id("selection-count").filter(has_text="100").wait_for()
        save_ms(probe, delete, page, None)
        deleted_everywhere(page, count - 120)


def play_figures(page: Page, figures: Figures) -> None:
    """Space to the first note sounding, five times."""
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
            print(f"play: no note sounded within 5 s (transport, tick, samples, mounts) {state}")
            figures.play_failures += 1
        page.get_by_test_id("stop").click()
        page.wait_for_function("window.__keycraft.transportState === 'stopped'")


def backend_rss_kb(app: RunningApp) -> int:
    """Resident memory (kB) of the process serving the app's events.

    The app runs in its own process group (``reflex run`` and its children); the
    backend holding every open editor's state is the largest process in that group.
    """
    group = os.getpgid(app.server.process.pid)
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != group:
                continue
            status = (entry / "status").read_text()
        except (OSError, ProcessLookupError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]))
    return max(sizes)


def rss_per_editor_mb(app: RunningApp, browser: Browser, user: User, url: str, count: int) -> float:
    """The backend's RSS growth per open editor of this project, in MB.

    Opens ``MEMORY_EDITORS`` editors, each in its own browser context (its own session and
    so its own server state), keeps them all open, and divides the backend's RSS growth by
    their number. States stay in the server's memory after a tab closes, so the figure is
    what each editor opened costs the server until its session expires.
    """
    before = backend_rss_kb(app)
    contexts = []
    for _ in range(MEMORY_EDITORS):
        context = signed_in_context(browser, app, user)
        contexts.append(context)
        open_editor(context.new_page(), url, count)
    after = backend_rss_kb(app)
    for context in contexts:
        context.close()
    return (after - before) / 1024 / MEMORY_EDITORS


def run_size(app: RunningApp, browser: Browser, user: User, count: int) -> Figures:
    """Drive the editor on a ``count``-note project and collect every figure."""
    repo = app.repository()
    project: Project = replace(
        make_project(user, title=f"Bench {count}", notes=0), notes=bench_notes(count)
    )
    repo.create_project(project)
    url = f"{app.url}/editor/{project.id}"
    figures = Figures([], [], [], [], [], [], 0, None, [], [], [], [])
    context = signed_in_context(browser, app, user)
    context.add_init_script(SEND_TIMES_SCRIPT)
    page = context.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    for _ in range(5):
        opened = open_editor(page, url, count, figures.open_notes_arrive_ms)
        figures.open_to_interactive_ms.append(opened)
    for _ in range(3):
        figures.drag_fps.append(drag_fps(page, 0, 48))
    # Commit latency: key press in the browser → saved in the database.
    probe = VersionProbe(app.data_dir / "keycraft.db", project.id)
    edit_figures(page, probe, figures, count)
    saved = len(stored_notes(repo, user.id, project.id))
    assert saved == count - 120, f"edits were not all saved: {saved} notes stored"
    play_figures(page, figures)
    context.close()
    figures.server_rss_per_editor_mb = [rss_per_editor_mb(app, browser, user, url, count - 120)]
    return figures


def run(app: RunningApp, counts: tuple[int, ...]) -> dict[int, Figures]:
    """Every figure at every project size, on one server and one browser."""
    user = create_user(app)
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for count in counts:
            results[count] = run_size(app, browser, user, count)
        browser.close()
    return results


def summary(figures: Figures) -> dict[str, dict[str, float]]:
    """Median, p95 and worst of each figure.

    For frame rates, where higher is better, "p95" is the rate 95 % of runs reach.
    """
    out: dict[str, dict[str, float]] = {"play_failures": {"count": figures.play_failures}}
    for name, values in asdict(figures).items():
        if not isinstance(values, list):
            continue
        high_is_good = "fps" in name
        out[name] = {
            "median": round(statistics.median(values), 1),
            "p95": round(-p95([-v for v in values]) if high_is_good else p95(values), 1),
            "worst": round(min(values) if high_is_good else max(values), 1),
            "runs": len(values),
        }
    return out


def table(results: dict[int, dict[str, dict[str, float]]]) -> str:
    """The figures of every size side by side: median / p95 (worst) for each."""
    counts = list(results)
    names = [n for n in results[counts[0]] if n != "play_failures"]
    header = f"{'figure':26}" + "".join(f"{f'{c:,} notes':>30}" for c in counts)
    lines = [header, "-" * len(header)]
    for name in names:
        cells = []
        for count in counts:
            v = results[count][name]
            cells.append(f"{v['median']:>9} / {v['p95']:>7} ({v['worst']})".rjust(30))
        lines.append(f"{name:26}" + "".join(cells))
    fails = "".join(f"{results[c]['play_failures']['count']:>30}" for c in counts)
    lines.append(f"{'play_failures':26}" + fails)
    return "\n".join(lines)


def main() -> None:
    """Build and serve the app, run the benchmark at each size, print and store the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=list(NOTE_COUNTS))
    counts = tuple(parser.parse_args().counts)
    if any(c > MAX_NOTES or c < 400 for c in counts):
        parser.error(f"each note count must be 400..{MAX_NOTES}")
    with tempfile.TemporaryDirectory() as tmp:
        app = start_app(Path(tmp))
        try:
            figures = run(app, counts)
        finally:
            app.stop()
    results = {count: summary(f) for count, f in figures.items()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "summary": {str(c): r for c, r in results.items()},
                "raw": {str(c): asdict(f) for c, f in figures.items()},
            },
            indent=2,
        )
    )
    print("median / p95 (worst; lowest for fps)")
    print(table(results))


if __name__ == "__main__":
    main()
