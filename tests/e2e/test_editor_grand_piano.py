"""The editor plays a sampled grand: Space sounds at once, the piano takes over as it loads.

On a cold cache the first notes of a play sound on the synth (or the nearest sample already
in), the middle register arrives first, then every layer and release noise; the roll's
``data-piano-voice`` and ``data-piano-samples`` attributes say which voice plays and how many
samples are in. The samples' credit is on the page.

How soon Space sounds is a speed figure, measured by ``bench/editor_bench.py`` (play start,
median and p95) on a quiet machine; this journey checks that nothing waits for a download.
"""

from __future__ import annotations

import re
from dataclasses import replace

from playwright.sync_api import Browser, Request, expect

from keycraft.components.credits import PIANO_SOUND_CREDIT
from keycraft.services.demo_piece import demo_piece
from keycraft.services.domain import PedalSpan
from tests.e2e.conftest import ConsoleLog
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.signed_in import create_user, signed_in_context

TITLE = "Minuet for the grand"
SAMPLES_TOTAL = 4 * 30 + 88
"""Four velocity layers of 30 samples, and one release noise per key."""
MIDDLE_C_FILE = re.compile(r"/piano/v10/C4v10\.mp3$")
OUTER_FILE = re.compile(
    r"/piano/v\d+/(A0|C1|Ds1|Fs1|A1|C2|Ds2|Fs2|A2|Ds6|Fs6|A6|C7|Ds7|Fs7|A7|C8)v"
)
ROLL = "[data-testid='piano-roll']"


def _notes_by_voice(text: str | None) -> tuple[int, int]:
    """Notes started on the grand and on the synth, from the roll's ``data-piano-notes``."""
    found = re.fullmatch(r"(\d+) grand, (\d+) synth", text or "")
    assert found, text
    return int(found[1]), int(found[2])


def test_space_sounds_at_once_on_a_cold_cache_then_the_grand_takes_over(
    app: RunningApp, browser: Browser, console: ConsoleLog
) -> None:
    user = create_user(app)
    piece = demo_piece()
    project = replace(
        make_project(user, title=TITLE, notes=0),
        notes=piece.notes,
        pedals=(PedalSpan(0, 1440),),
    )
    app.repository().create_project(project)

    # A fresh context: nothing cached, no sample fetched yet.
    context = signed_in_context(browser, app, user)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    samples: list[str] = []

    def on_request(request: Request) -> None:
        if "/piano/" in request.url:
            samples.append(request.url)

    page.on("request", on_request)
    page.goto(app.url)
    page.get_by_test_id("nav-projects").click()
    page.wait_for_url(re.compile(r"/projects/?$"))
    page.get_by_test_id("project-link").filter(has_text=TITLE).click()
    page.wait_for_url("**/editor/*", timeout=30_000)
    roll = page.locator(ROLL)
    expect(roll).to_be_visible(timeout=30_000)
    page.wait_for_function(
        f"window.__keycraft && window.__keycraft.noteCount === {len(piece.notes)}"
    )
    expect(page.get_by_test_id("piano-sound-credit")).to_have_text(PIANO_SOUND_CREDIT)
    assert samples == []
    expect(roll).not_to_have_attribute("data-piano-voice", re.compile(".*"))

    # Space (the page, not the roll, has focus): the first note is heard within the budget,
    # on whatever voice is ready; nothing waits for a download. (Tone's clock runs on a Worker
    # that can take half a second to start on a busy machine, samples or not: a Space before
    # its first tick waits for it, so the press comes once it ticks.)
    page.wait_for_function("window.__keycraft.clockTicks > 0")
    page.keyboard.press(" ")
    page.wait_for_function("window.__keycraft.transportState === 'started'")
    page.wait_for_function("window.__keycraft.firstSoundMs !== null")
    expect(roll).to_have_attribute("data-piano-voice", re.compile(r"^(synth|grand)$"))
    cold_ms, loaded = page.evaluate(
        "[window.__keycraft.firstSoundMs, document.querySelector("
        f"{ROLL!r}).getAttribute('data-piano-samples')]"
    )
    # Read after the first note: fewer samples in then means the note did not wait for them.
    assert loaded != f"{SAMPLES_TOTAL}/{SAMPLES_TOTAL}", loaded

    # The middle register comes first: middle C of the first layer before any outer sample.
    expect(roll).to_have_attribute(
        "data-piano-samples", f"{SAMPLES_TOTAL}/{SAMPLES_TOTAL}", timeout=60_000
    )
    assert MIDDLE_C_FILE.search(samples[0]), samples[:3]
    first_outer = next(i for i, url in enumerate(samples) if OUTER_FILE.search(url))
    assert first_outer == 4 * 13 + 37, samples[: first_outer + 1]  # after the middle releases
    assert len(samples) == SAMPLES_TOTAL
    page.wait_for_function("window.__keycraft.instrument === 'samples'")

    # Stopped and played again, everything is in memory: the grand from the first note on.
    page.get_by_test_id("stop").click()
    page.wait_for_function("window.__keycraft.transportState === 'stopped'")
    grand_before, synth_before = _notes_by_voice(roll.get_attribute("data-piano-notes"))
    page.get_by_test_id("piano-roll").focus()
    page.keyboard.press(" ")
    page.wait_for_function("window.__keycraft.firstSoundMs !== null")
    expect(roll).not_to_have_attribute(
        "data-piano-notes", f"{grand_before} grand, {synth_before} synth"
    )
    assert _notes_by_voice(roll.get_attribute("data-piano-notes"))[1] == synth_before
    expect(roll).to_have_attribute("data-piano-voice", "grand")
    warm_ms = page.evaluate("window.__keycraft.firstSoundMs")
    print(f"Space to first note: cold cache {cold_ms:.0f} ms, samples loaded {warm_ms:.0f} ms")
    assert console.errors == []
    context.close()
