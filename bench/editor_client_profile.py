"""Where Chromium's main thread spends its time while the editor opens a large project.

Run: ``.venv/bin/python -m bench.editor_client_profile [NOTES]`` (default ``MAX_NOTES``).
Builds and serves the app, opens the editor on a project of that many notes with
Chromium's JavaScript sampling profiler on (CDP ``Profiler``), and prints the functions
that took the most of its own time from navigation until the notes were drawn, with
their script, plus the open time the roll itself measured.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from bench.editor_bench import bench_notes, open_editor
from keycraft.services.notes.edits import MAX_NOTES
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.support.app_server import RunningApp, start_app
from tests.support.factories import make_project
from tests.support.signed_in import create_user, signed_in_context

SHOWN = 25


def self_times_ms(profile: dict[str, Any]) -> Counter[str]:
    """Own time per function (name, script and line) in a CDP CPU profile, in ms."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    deltas = profile["timeDeltas"]
    times: Counter[str] = Counter()
    for sample, delta in zip(profile["samples"][1:], deltas[1:], strict=True):
        frame = nodes[sample]["callFrame"]
        script = frame["url"].rsplit("/", 1)[-1] or "-"
        name = frame["functionName"] or "(anonymous)"
        times[f"{name}  {script}:{frame['lineNumber'] + 1}"] += delta / 1000
    return times


def profile_open(app: RunningApp, count: int) -> tuple[float, Counter[str]]:
    """Open the editor once to warm caches, then again under the profiler."""
    user = create_user(app)
    project = replace(make_project(user, title="Profile", notes=0), notes=bench_notes(count))
    app.repository().create_project(project)
    url = f"{app.url}/editor/{project.id}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = signed_in_context(browser, app, user)
        page = context.new_page()
        page.set_viewport_size({"width": 1440, "height": 900})
        open_editor(page, url, count)
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        cdp.send("Profiler.start")
        opened = open_editor(page, url, count)
        profile = cdp.send("Profiler.stop")["profile"]
        browser.close()
    return opened, self_times_ms(profile)


def main() -> None:
    """Serve the app, profile one open, print where the time went."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=MAX_NOTES)
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory() as tmp:
        app = start_app(Path(tmp))
        try:
            opened, times = profile_open(app, count)
        finally:
            app.stop()
    total = sum(times.values())
    print(f"{count:,} notes: open to interactive {opened:.0f} ms (the roll's own measure)")
    print(f"profiled main-thread samples: {total:.0f} ms; own time by function:")
    for name, ms in times.most_common(SHOWN):
        print(f"  {ms:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
