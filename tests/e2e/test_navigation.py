"""Journeys through the navigation: home → sign-up → projects → editor and back, by clicking."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from keycraft.services.auth.passwords import hash_password
from keycraft.services.domain import User
from tests.e2e.conftest import ConsoleLog
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.signed_in import create_user, signed_in_context
from tests.support.visitors import PHONE

PASSWORD = "gentle Nocturne 48"
PROJECTS_PAGE = re.compile(r"/projects/?$")
MARKETING_LINKS = ("How it works", "Features", "Pricing", "FAQ")


@pytest.fixture
def signed_in(
    browser: Browser, app: RunningApp, console: ConsoleLog
) -> Iterator[tuple[Page, User]]:
    """A page whose browser carries a session of a fresh user, and that user."""
    user = create_user(app)
    context = signed_in_context(browser, app, user)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    yield page, user
    context.close()


def _password_user(app: RunningApp) -> User:
    return create_user(app, password_hash=hash_password(PASSWORD))


def _sign_in(page: Page, email: str) -> None:
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_test_id("sign-in-submit").click()


def _horizontal_overflow_px(page: Page, selector: str) -> int:
    script = "(s) => { const e = document.querySelector(s); return e.scrollWidth - e.clientWidth; }"
    return int(page.evaluate(script, selector))


def _middle_y(locator: Locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return box["y"] + box["height"] / 2


def _wait_for_title(app: RunningApp, user_id: str, project_id: str, title: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        project = app.repository().get_project(user_id, project_id)
        if project is not None and project.title == title:
            return
        time.sleep(0.05)
    raise AssertionError(f"the project was not renamed to {title!r}")


def test_a_learner_signs_up_from_home_and_moves_between_projects_and_editor(
    app: RunningApp, page: Page, console: ConsoleLog
) -> None:
    page.goto(app.url)
    page.get_by_test_id("hero-cta").click()
    page.wait_for_url(re.compile(r"/sign-up/?$"))
    page.get_by_label("Name").fill("Clara")
    page.get_by_label("Email", exact=True).fill(f"first-hour-{uuid.uuid4().hex[:10]}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_test_id("sign-up-submit").click()

    page.wait_for_url(PROJECTS_PAGE)
    expect(page.get_by_role("banner").get_by_test_id("nav-projects")).to_be_visible()
    expect(page.get_by_test_id("projects-empty")).to_contain_text("upload a piano recording")
    expect(page.get_by_test_id("projects-empty")).to_contain_text("import a MIDI file")
    page.get_by_test_id("new-project-title").fill("Für Elise")
    page.get_by_role("button", name="New project").click()

    page.wait_for_url("**/editor/*", timeout=30_000)
    header = page.get_by_role("banner")
    expect(header.get_by_test_id("project-title")).to_have_value("Für Elise")
    expect(header.get_by_test_id("save-status")).to_have_text("Saved")
    expect(header.get_by_role("link", name="Account")).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    for name in MARKETING_LINKS:
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(page.get_by_role("contentinfo")).to_have_count(0)  # no marketing footer either
    expect(page.get_by_test_id("piano-roll")).to_be_visible(timeout=30_000)

    header.get_by_role("link", name="← Projects").click()
    page.wait_for_url(PROJECTS_PAGE)
    rows = page.get_by_test_id("project-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Für Elise")
    expect(page.get_by_test_id("projects-empty")).to_have_count(0)
    assert console.errors == []


def test_keyboard_users_skip_the_editor_header_to_the_roll(
    app: RunningApp, signed_in: tuple[Page, User]
) -> None:
    page, _ = signed_in
    page.goto(app.url)
    page.get_by_role("banner").get_by_test_id("nav-projects").click()
    page.wait_for_url(PROJECTS_PAGE)
    page.get_by_role("button", name="New project").click()
    page.wait_for_url("**/editor/*", timeout=30_000)
    roll = page.get_by_test_id("piano-roll")
    expect(roll).to_be_visible(timeout=30_000)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the piano roll")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(roll).to_be_focused()


def test_signed_in_visitors_are_sent_to_their_projects_instead_of_sign_up(
    app: RunningApp, signed_in: tuple[Page, User], console: ConsoleLog
) -> None:
    page, _ = signed_in
    page.goto(app.url)
    nav = page.get_by_role("banner")
    expect(nav.get_by_test_id("nav-projects")).to_be_visible()
    expect(page.get_by_test_id("nav-sign-up")).to_have_count(0)
    cta = page.get_by_test_id("hero-cta")
    expect(cta).to_have_text("Go to your projects")
    cta.click()
    page.wait_for_url(PROJECTS_PAGE)
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()

    # Pricing: the free plan leads to the projects, paid plans still go to checkout.
    page.get_by_role("banner").get_by_role("link", name="Pricing", exact=True).click()
    page.wait_for_url(re.compile(r"/pricing/?$"))
    free = page.get_by_test_id("plan-free").get_by_role("link")
    expect(free).to_have_text("Go to your projects")
    expect(
        page.get_by_test_id("plan-pro-monthly").get_by_role("link", name="Choose Pro")
    ).to_have_attribute("href", "/api/billing/checkout?plan=pro-monthly")
    free.click()
    page.wait_for_url(PROJECTS_PAGE)

    # The account page and the footer lead back too.
    page.get_by_role("banner").get_by_test_id("nav-account").click()
    page.wait_for_url(re.compile(r"/account/?$"))
    page.get_by_test_id("account-projects").click()
    page.wait_for_url(PROJECTS_PAGE)
    page.get_by_role("banner").get_by_role("link", name="KeyCraft home").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_test_id("footer-projects").click()
    page.wait_for_url(PROJECTS_PAGE)
    assert console.errors == []


def test_signed_in_visitors_who_open_the_sign_in_forms_go_on_to_their_work(
    app: RunningApp, signed_in: tuple[Page, User], console: ConsoleLog
) -> None:
    page, _ = signed_in
    page.goto(f"{app.url}/sign-up")  # an old bookmark, or a click before the page knew them
    page.wait_for_url(PROJECTS_PAGE)
    page.goto(f"{app.url}/sign-in?next=%2Faccount")
    page.wait_for_url(re.compile(r"/account/?$"))
    page.goto(f"{app.url}/sign-in?next=%2F%2Fevil.example%2F")
    page.wait_for_url(PROJECTS_PAGE)
    assert console.errors == []


def test_signing_in_from_the_nav_lands_on_the_projects(
    app: RunningApp, page: Page, console: ConsoleLog
) -> None:
    user = _password_user(app)
    page.goto(app.url)
    page.get_by_test_id("nav-sign-in").click()
    page.wait_for_url(re.compile(r"/sign-in/?$"))
    _sign_in(page, user.email)
    page.wait_for_url(PROJECTS_PAGE)
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()
    expect(page.get_by_role("banner").get_by_test_id("nav-projects")).to_be_visible()
    assert console.errors == []


def test_a_bookmarked_editor_page_opens_once_signed_in(
    app: RunningApp, page: Page, console: ConsoleLog
) -> None:
    user = _password_user(app)
    project = app.repository().create_project(make_project(user, title="Gymnopédie No. 1"))
    page.goto(f"{app.url}/editor/{project.id}")  # the bookmark, opened while signed out
    page.wait_for_url(re.compile(rf"/sign-in/?\?next=%2Feditor%2F{project.id}(%2F)?$"))
    _sign_in(page, user.email)
    page.wait_for_url(re.compile(rf"/editor/{project.id}/?$"))
    expect(page.get_by_test_id("project-title")).to_have_value("Gymnopédie No. 1")
    assert console.errors == []


def test_headers_fit_a_phone_for_signed_in_learners(
    app: RunningApp, signed_in: tuple[Page, User], console: ConsoleLog
) -> None:
    page, user = signed_in
    page.set_viewport_size(PHONE)
    page.goto(app.url)
    nav = page.get_by_role("banner")
    expect(nav.get_by_test_id("nav-projects")).to_be_visible()
    expect(nav.get_by_test_id("nav-sign-out")).to_be_visible()
    assert _horizontal_overflow_px(page, "header") <= 0
    # Brand and sign-out share one line.
    assert (
        abs(
            _middle_y(nav.get_by_role("link", name="KeyCraft home"))
            - _middle_y(nav.get_by_test_id("nav-sign-out"))
        )
        < 8
    )

    nav.get_by_test_id("nav-projects").click()
    page.wait_for_url(PROJECTS_PAGE)
    page.get_by_role("button", name="New project").click()
    page.wait_for_url("**/editor/*", timeout=30_000)
    header = page.get_by_role("banner")
    title = header.get_by_test_id("project-title")
    expect(title).to_be_visible()
    expect(header.get_by_role("link", name="← Projects")).to_be_visible()
    expect(header.get_by_test_id("save-status")).to_be_visible()
    expect(page.get_by_test_id("piano-roll")).to_be_visible(timeout=30_000)
    assert _horizontal_overflow_px(page, "header") <= 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    project_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    title.fill("Study on a phone")
    title.press("Enter")
    _wait_for_title(app, user.id, project_id, "Study on a phone")
    header.get_by_role("link", name="← Projects").click()
    page.wait_for_url(PROJECTS_PAGE)
    expect(page.get_by_test_id("project-row")).to_contain_text("Study on a phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert console.errors == []
