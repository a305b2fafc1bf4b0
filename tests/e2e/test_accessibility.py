"""axe-core on the main pages, each reached by clicking from home as a visitor would."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from keycraft.services.domain import Note
from tests.e2e.conftest import ConsoleLog
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.signed_in import create_user, signed_in_context

AXE_SCRIPT = Path(__file__).resolve().parents[1] / "services/node_modules/axe-core/axe.min.js"
"""The pinned axe-core of tests/services/package.json, injected into each page."""
BLOCKING_IMPACTS = ("serious", "critical")

_RUN_AXE = """async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
  }));
}"""


_SETTLED = """() => Promise.all(
  document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
    .map((a) => a.finished.catch(() => null))
)"""
"""Resolves once every finite animation has ended (a panel fading in is measured at full
opacity, not part-way, where its text reads fainter than it is); spinners that never end are
left running."""


def _blocking_violations(page: Page) -> list[str]:
    """Every serious or critical axe violation on the page once it is still, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    page.evaluate(_SETTLED)
    violations = page.evaluate(_RUN_AXE)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['targets']}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]


def test_public_pages_have_no_serious_axe_violations(
    app: RunningApp, page: Page, console: ConsoleLog
) -> None:
    found: dict[str, list[str]] = {}
    page.goto(app.url)
    expect(page.get_by_test_id("hero-cta")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("nav-sign-in")).to_be_visible()
    found["landing"] = _blocking_violations(page)

    page.get_by_role("banner").get_by_role("link", name="Pricing", exact=True).first.click()
    page.wait_for_url(re.compile(r"/pricing/?$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    found["pricing"] = _blocking_violations(page)

    page.get_by_test_id("nav-sign-in").click()
    page.wait_for_url(re.compile(r"/sign-in/?$"))
    expect(page.get_by_test_id("sign-in-submit")).to_be_visible()
    found["sign-in"] = _blocking_violations(page)

    page.get_by_test_id("nav-sign-up").click()
    page.wait_for_url(re.compile(r"/sign-up/?$"))
    expect(page.get_by_test_id("sign-up-submit")).to_be_visible()
    found["sign-up"] = _blocking_violations(page)

    assert {name: lines for name, lines in found.items() if lines} == {}
    assert console.errors == []


def test_signed_in_pages_and_the_editor_have_no_serious_axe_violations(
    app: RunningApp, browser: Browser, console: ConsoleLog
) -> None:
    user = create_user(app)
    project = replace(
        make_project(user, title="Axe study", notes=0),
        notes=(Note(0, 480, 60, 70), Note(480, 480, 64, 100)),
    )
    app.repository().create_project(project)
    context = signed_in_context(browser, app, user)
    page = context.new_page()
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    found: dict[str, list[str]] = {}

    page.goto(app.url)
    page.get_by_test_id("nav-projects").click()
    page.wait_for_url(re.compile(r"/projects/?$"))
    expect(page.get_by_test_id("project-row")).to_have_count(1, timeout=30_000)
    found["projects"] = _blocking_violations(page)

    page.get_by_test_id("project-link").click()
    page.wait_for_url("**/editor/*")
    expect(page.get_by_test_id("piano-roll")).to_be_visible(timeout=30_000)
    page.wait_for_function("window.__keycraft && window.__keycraft.noteCount === 2")
    found["editor"] = _blocking_violations(page)
    # Every control says what it is: switches, the tempo box, the slider handles.
    expect(page.get_by_role("switch", name="Metronome")).to_be_visible()
    expect(page.get_by_role("switch", name="Loop")).to_be_visible()
    expect(page.get_by_role("spinbutton", name="Tempo in BPM")).to_be_visible()
    expect(page.get_by_role("slider", name="Volume")).to_be_visible()
    expect(page.get_by_role("slider", name="Velocity of selection")).to_be_attached()
    # The MIDI import is one Tab stop: from the Names switch, Tab, Import, Tab, Export.
    page.get_by_role("switch", name="Show note names").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Import MIDI", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("export-midi")).to_be_focused()

    # The shortcut list is part of the editor too.
    page.get_by_test_id("shortcuts").click()
    expect(page.get_by_test_id("shortcut-help")).to_be_visible()
    found["editor, shortcut list"] = _blocking_violations(page)
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("shortcut-help")).to_have_count(0)

    page.get_by_test_id("nav-account").click()
    page.wait_for_url(re.compile(r"/account/?$"))
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    found["account"] = _blocking_violations(page)

    assert {name: lines for name, lines in found.items() if lines} == {}
    assert console.errors == []
    context.close()
