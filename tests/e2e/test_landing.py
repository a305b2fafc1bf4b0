"""Journey: a visitor opens the landing page on a phone and on a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.support.app_server import RunningApp
from tests.support.page_weight import MAX_FIRST_LOAD_BYTES, transferred_bytes
from tests.support.visitors import DESKTOP, DESKTOP_UA, PHONE, PHONE_UA, visitor_context


def _watch_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
    )
    return errors


@pytest.mark.parametrize(
    ("viewport", "user_agent"), [(PHONE, PHONE_UA), (DESKTOP, DESKTOP_UA)], ids=["phone", "desktop"]
)
def test_landing_renders_every_section_without_console_errors(
    app: RunningApp, browser: Browser, viewport: ViewportSize, user_agent: str
) -> None:
    context = visitor_context(browser, viewport, user_agent)
    page = context.new_page()
    errors = _watch_errors(page)
    page.goto(app.url)
    expect(page.get_by_test_id("hero-title")).to_contain_text("KeyCraft")
    for heading in ("Everything a learner needs", "How it works", "Simple pricing", "Questions"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    demo = page.get_by_role("region", name="Live demo: Minuet in G (BWV Anh. 114), bars 1–8")
    expect(demo.get_by_test_id("piano-roll")).to_be_visible()
    expect(demo).to_contain_text("45 notes · 8 bars · 3/4")
    expect(page.get_by_test_id("plan-free")).to_contain_text("$0")
    page.wait_for_load_state("networkidle")
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert transferred_bytes(page) < MAX_FIRST_LOAD_BYTES
    assert errors == []
    context.close()


def test_landing_has_search_and_social_metadata(app: RunningApp, page: Page) -> None:
    page.goto(app.url)
    expect(page).to_have_title("KeyCraft — turn piano recordings into editable MIDI")

    def meta(selector: str) -> str | None:
        return page.locator(f"meta[{selector}]").last.get_attribute("content")

    assert (meta('name="description"') or "").startswith("Record or upload a piano piece")
    assert meta('property="og:title"') == "KeyCraft — turn piano recordings into editable MIDI"
    assert meta('property="og:url"') == f"{app.env['APP_URL']}/"
    assert meta('property="og:image"') == f"{app.env['APP_URL']}/og-image.png"
    assert meta('name="twitter:card"') == "summary_large_image"
    assert page.request.get(f"{app.url}/og-image.png").status == 200


def test_keyboard_users_can_skip_to_content_and_open_a_question(
    app: RunningApp, page: Page
) -> None:
    page.goto(app.url)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    # Calls to action are single links: one tab stop each, no button nested inside.
    start = page.get_by_test_id("hero-cta")
    start.focus()
    expect(start).to_have_attribute("href", "/sign-up")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="See pricing").first).to_be_focused()
    assert page.locator("a button, button a").count() == 0
    question = page.locator("summary", has_text="What recordings work best?")
    question.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Solo piano, recorded close to the instrument")).to_be_visible()


def test_the_headline_still_shows_when_the_server_connection_fails(
    app: RunningApp, browser: Browser
) -> None:
    context = visitor_context(browser)
    page = context.new_page()
    page.route_web_socket("**/_event**", lambda socket: socket.close())
    page.goto(app.url)
    # No assignment can arrive, so the control is revealed by CSS after a short wait.
    expect(page.get_by_test_id("hero-title")).to_be_visible(timeout=5000)
    expect(page.get_by_test_id("hero-title")).to_have_text("KeyCraft: hear it, see it, fix it.")
    assert page.locator("[data-experiment]").count() == 0
    context.close()
