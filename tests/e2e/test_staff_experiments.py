"""Journey: staff made by the command run an experiment from the page, no deploy, no restart."""

from __future__ import annotations

import dataclasses
import re

from playwright.sync_api import Browser, Locator, Page, expect

from keycraft.services.domain import User
from keycraft.services.experiments.assignment import assign
from keycraft.services.experiments.catalog import PRICING_CTA
from keycraft.services.experiments.model import Variant
from keycraft.services.repository.port import Repository
from tests.support.app_server import RunningApp
from tests.support.experiment_admin import Visitors, manage, restored_after, until
from tests.support.signed_in import create_user, signed_in_context
from tests.support.visitors import DESKTOP_UA, visitor_id_for

KEY = PRICING_CTA.key
RESPLIT = dataclasses.replace(
    PRICING_CTA, version=2, variants=(Variant("control", 1), Variant("try_free", 3))
)


def _open_admin(browser: Browser, app: RunningApp, user: User) -> Page:
    context = signed_in_context(browser, app, user)
    context.set_extra_http_headers({"User-Agent": DESKTOP_UA})
    page = context.new_page()
    page.goto(app.url)
    page.get_by_test_id("nav-admin").click()
    page.wait_for_url("**/admin/experiments")
    expect(page.get_by_test_id(f"experiment-{KEY}")).to_be_visible()
    return page


def _versions_seen(repo: Repository, visitor_id: str) -> list[int]:
    """Versions of the experiment this visitor was counted in (the home page has another)."""
    return [e.version for e in repo.list_visitor_exposures(visitor_id) if e.experiment_key == KEY]


def _status(page: Page) -> Locator:
    return page.get_by_test_id(f"status-{KEY}")


def test_staff_start_pause_resplit_and_conclude_an_experiment(
    app: RunningApp, browser: Browser
) -> None:
    repo = app.repository()
    person = create_user(app)
    assert manage(app, "staff", "grant", person.email) == f"{person.email} is staff"
    visitors = Visitors(browser, app)
    with restored_after(repo, KEY):
        page = _open_admin(browser, app, person)
        card = page.get_by_test_id(f"experiment-{KEY}")
        expect(_status(page)).to_have_text("draft")

        card.get_by_test_id(f"start-{KEY}").click()
        expect(_status(page)).to_have_text("running")
        early_control = visitor_id_for(PRICING_CTA, "control")
        early_try = visitor_id_for(PRICING_CTA, "try_free")
        assert visitors.pricing(early_control, PRICING_CTA) == "control"
        assert visitors.pricing(early_try, PRICING_CTA) == "try_free"
        until(lambda: _versions_seen(repo, early_try) == [1])

        card.get_by_test_id(f"pause-{KEY}").click()
        expect(_status(page)).to_have_text("paused")
        # Assigned visitors keep their variant; a newcomer sees the control, uncounted.
        assert visitors.pricing(early_try, PRICING_CTA) == "try_free"
        newcomer = visitor_id_for(PRICING_CTA, "try_free")
        assert visitors.pricing(newcomer, PRICING_CTA) == "control"

        split = card.get_by_test_id(f"split-{KEY}")
        split.get_by_label("Weight of control").fill("1")
        split.get_by_label("Weight of try_free").fill("3")
        split.get_by_role("button", name="Change split").click()
        dialog = page.get_by_role("alertdialog")
        expect(dialog).to_contain_text("version 2")
        expect(dialog).to_contain_text("counted apart")
        dialog.get_by_role("button", name="Confirm").click()
        expect(card).to_contain_text("split control 1 / try_free 3")
        card.get_by_test_id(f"resume-{KEY}").click()
        expect(_status(page)).to_have_text("running")
        fresh = visitor_id_for(RESPLIT, "try_free")
        assert visitors.pricing(fresh, PRICING_CTA) == "try_free"
        until(lambda: _versions_seen(repo, fresh) == [2])
        assert _versions_seen(repo, newcomer) == []  # seen while paused: not counted
        assert _versions_seen(repo, early_try) == [1]

        card.get_by_role("button", name="Declare try_free the winner").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Confirm").click()
        expect(_status(page)).to_have_text("stopped")
        expect(card).to_contain_text("winner: try_free")

        # A fresh visitor whom both versions would have shown the control sees the winner.
        def fresh_visitor_sees_the_winner() -> bool:
            candidate = visitor_id_for(PRICING_CTA, "control")
            while assign(RESPLIT, candidate) != "control":
                candidate = visitor_id_for(PRICING_CTA, "control")
            return visitors.pricing(candidate, PRICING_CTA) == "try_free"

        until(fresh_visitor_sees_the_winner)

        audit = page.get_by_test_id("audit-log")
        for action in ("experiment.winner", "experiment.split", "experiment.start"):
            expect(audit).to_contain_text(action)
        expect(audit).to_contain_text(re.compile(r"staff\.grant.*" + re.escape(person.email)))
        expect(audit).to_contain_text("command line")
        page.context.close()
        visitors.close()


def test_staff_invite_and_remove_staff_and_lose_access_at_once(
    app: RunningApp, browser: Browser
) -> None:
    boss = create_user(app, role="staff")
    colleague = create_user(app)
    page = _open_admin(browser, app, boss)
    staff = page.get_by_test_id("staff-section")
    staff.get_by_label("Email of the account to make staff").fill(colleague.email)
    staff.get_by_role("button", name="Invite to staff").click()
    expect(staff).to_contain_text(f"{colleague.email} is staff now.")
    assert app.repository().get_user(colleague.id).role == "staff"  # type: ignore[union-attr]
    colleague_page = _open_admin(browser, app, colleague)
    staff.get_by_role("button", name=f"Remove staff access of {colleague.email}").click()
    expect(staff).to_contain_text(f"{colleague.email} is no longer staff.")
    expect(page.get_by_test_id("audit-log")).to_contain_text(
        re.compile(re.escape(boss.email) + r"\s*staff\.revoke\s*" + re.escape(colleague.email))
    )
    # The removed colleague's open page can no longer change anything: the server checks
    # the role again for every action, and the page then hides the controls.
    colleague_page.get_by_test_id("pause-hero_headline").click()
    expect(colleague_page.get_by_test_id("admin-error")).to_contain_text("Only signed-in staff")
    expect(colleague_page.get_by_test_id("forbidden")).to_be_visible()
    entries = app.repository().list_audit_entries(50)
    assert not [e for e in entries if e.actor == colleague.email]
    page.context.close()
    colleague_page.context.close()
