"""Journey: visitors see their own sticky variants; staff preview and read results."""

from __future__ import annotations

import time
from collections.abc import Callable

from playwright.sync_api import Browser, BrowserContext, Page, expect

from keycraft.services.experiments.assignment import assign, is_visitor_id
from keycraft.services.experiments.catalog import HERO_HEADLINE
from keycraft.services.experiments.model import Exposure
from tests.support.app_server import RunningApp
from tests.support.signed_in import create_user, signed_in_context
from tests.support.visitors import (
    DESKTOP_UA,
    set_visitor_cookie,
    visitor_context,
    visitor_cookie,
    visitor_id_for,
)

HEADLINE = f'[data-experiment="{HERO_HEADLINE.key}"]'


def _shown_variant(page: Page) -> str:
    slot = page.locator(HEADLINE)
    expect(slot).to_have_count(1)
    return slot.get_attribute("data-variant") or ""


def _eventually(check: Callable[[], bool], timeout_s: float = 10) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


def _exposures(app: RunningApp, visitor_id: str) -> list[Exposure]:
    return app.repository().list_visitor_exposures(visitor_id)


def _visit_twice(context: BrowserContext, app: RunningApp) -> tuple[str, str]:
    page = context.new_page()
    page.goto(app.url)
    first = _shown_variant(page)
    page.reload()
    second = _shown_variant(page)
    page.close()
    return first, second


def test_two_visitors_keep_their_own_variants_and_are_exposed_once(
    app: RunningApp, browser: Browser
) -> None:
    control_id = visitor_id_for(HERO_HEADLINE, "control")
    outcome_id = visitor_id_for(HERO_HEADLINE, "outcome")
    first, second = visitor_context(browser), visitor_context(browser)
    set_visitor_cookie(first, app, control_id)
    set_visitor_cookie(second, app, outcome_id)
    assert _visit_twice(first, app) == ("control", "control")
    assert _visit_twice(second, app) == ("outcome", "outcome")
    assert _eventually(lambda: len(_exposures(app, outcome_id)) == 1)
    [exposure] = _exposures(app, control_id)
    assert (exposure.experiment_key, exposure.variant) == (HERO_HEADLINE.key, "control")
    assert _exposures(app, outcome_id)[0].variant == "outcome"
    first.close()
    second.close()


def test_a_first_visit_sets_the_visitor_cookie_and_assigns_from_it(
    app: RunningApp, browser: Browser
) -> None:
    context = visitor_context(browser)
    page = context.new_page()
    page.goto(app.url)
    shown = _shown_variant(page)
    assert _eventually(lambda: is_visitor_id(visitor_cookie(context)))
    visitor_id = visitor_cookie(context)
    assert shown == assign(HERO_HEADLINE, visitor_id)
    page.goto(f"{app.url}/pricing")
    page.goto(app.url)
    assert _shown_variant(page) == shown
    assert visitor_cookie(context) == visitor_id
    context.close()


def test_bots_see_the_control_and_are_neither_tracked_nor_counted(
    app: RunningApp, browser: Browser
) -> None:
    outcome_id = visitor_id_for(HERO_HEADLINE, "outcome")
    context = browser.new_context(user_agent="Mozilla/5.0 (compatible; Googlebot/2.1)")
    set_visitor_cookie(context, app, outcome_id)
    page = context.new_page()
    page.goto(app.url)
    assert _shown_variant(page) == "control"
    page.wait_for_load_state("networkidle")
    assert _exposures(app, outcome_id) == []
    context.close()


def test_signing_in_links_the_visitor_to_the_user(app: RunningApp, browser: Browser) -> None:
    user = create_user(app)
    context = signed_in_context(browser, app, user)
    visitor_id = visitor_id_for(HERO_HEADLINE, "outcome")
    set_visitor_cookie(context, app, visitor_id)
    context.new_page().goto(app.url)
    repo = app.repository()
    assert _eventually(lambda: repo.list_user_visitors(user.id) == [visitor_id])
    context.close()


def test_a_user_signing_in_on_a_new_device_keeps_their_first_variant(
    app: RunningApp, browser: Browser
) -> None:
    user = create_user(app)
    laptop_id = visitor_id_for(HERO_HEADLINE, "outcome")
    phone_id = visitor_id_for(HERO_HEADLINE, "control")
    laptop = signed_in_context(browser, app, user)
    laptop.set_extra_http_headers({"User-Agent": DESKTOP_UA})
    set_visitor_cookie(laptop, app, laptop_id)
    assert _visit_twice(laptop, app) == ("outcome", "outcome")
    phone = signed_in_context(browser, app, user)
    phone.set_extra_http_headers({"User-Agent": DESKTOP_UA})
    set_visitor_cookie(phone, app, phone_id)
    page = phone.new_page()
    page.goto(app.url)
    expect(page.locator(f'{HEADLINE}[data-variant="outcome"]')).to_have_count(1)
    assert _eventually(lambda: visitor_cookie(phone) == laptop_id)
    laptop.close()
    phone.close()


def _preview(context: BrowserContext, app: RunningApp) -> str:
    page = context.new_page()
    page.goto(f"{app.url}/?kc_variant={HERO_HEADLINE.key}:outcome")
    return _shown_variant(page)


def test_the_variant_override_works_for_staff_only_and_is_not_counted(
    app: RunningApp, browser: Browser
) -> None:
    staff_vid = visitor_id_for(HERO_HEADLINE, "control")
    user_vid = visitor_id_for(HERO_HEADLINE, "control")
    staff = signed_in_context(browser, app, create_user(app, role="staff"))
    member = signed_in_context(browser, app, create_user(app))
    for context, vid in ((staff, staff_vid), (member, user_vid)):
        context.set_extra_http_headers({"User-Agent": DESKTOP_UA})
        set_visitor_cookie(context, app, vid)
    assert _preview(staff, app) == "outcome"
    assert _preview(member, app) == "control"
    assert _eventually(lambda: len(_exposures(app, user_vid)) == 1)
    assert _exposures(app, staff_vid) == []
    staff.close()
    member.close()
