"""Journey: staff read experiment results and export them; nobody else can."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import Browser, expect

from keycraft.services.experiments.catalog import HERO_HEADLINE
from tests.support.app_server import RunningApp
from tests.support.signed_in import create_user, signed_in_context

RESULTS = "/admin/experiments"
CSV = f"/api/admin/experiments/{HERO_HEADLINE.key}.csv"


def test_staff_see_results_for_every_experiment_and_download_csv(
    app: RunningApp, browser: Browser
) -> None:
    context = signed_in_context(browser, app, create_user(app, role="staff"))
    page = context.new_page()
    page.goto(f"{app.url}{RESULTS}")
    card = page.get_by_test_id(f"experiment-{HERO_HEADLINE.key}")
    expect(card).to_be_visible()
    table = card.get_by_test_id(f"results-{HERO_HEADLINE.key}")
    expect(table.get_by_role("columnheader", name="P(beats control)")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Always-valid p")).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(1 + len(HERO_HEADLINE.variants))
    expect(card.get_by_test_id(f"guardrail-{HERO_HEADLINE.key}")).to_contain_text(
        "checkout started"
    )
    expect(card.get_by_test_id(f"verdict-{HERO_HEADLINE.key}")).to_contain_text("Not final")
    expect(page.get_by_test_id("experiment-pricing_cta")).to_contain_text("draft")
    response = context.request.get(f"{app.url}{CSV}")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert [r["variant"] for r in rows if r["metric"] == "signup"] == list(
        HERO_HEADLINE.variant_keys
    )
    assert {r["metric"] for r in rows} == {"signup", "checkout_started", "paid"}
    context.close()


def test_other_users_get_403_and_no_numbers(app: RunningApp, browser: Browser) -> None:
    context = signed_in_context(browser, app, create_user(app))
    page = context.new_page()
    response = page.goto(f"{app.url}{RESULTS}")
    assert response is not None and response.status == 403
    expect(page.get_by_test_id("forbidden")).to_contain_text("403")
    expect(page.get_by_role("link", name="Go to the home page")).to_have_attribute("href", "/")
    expect(page.get_by_test_id(f"experiment-{HERO_HEADLINE.key}")).to_have_count(0)
    assert context.request.get(f"{app.url}{CSV}").status == 403
    context.close()


def test_signed_out_visitors_get_403_from_the_export(app: RunningApp, browser: Browser) -> None:
    context = browser.new_context()
    assert context.request.get(f"{app.url}{CSV}").status == 403
    context.close()


# React Router follows the history stack: a popstate after pushState is a client-side
# navigation, with no request to the server's guard. The marker proves no reload happened.
_NAVIGATE_IN_APP = """(path) => {
  window.__beforeNavigation = true;
  window.history.pushState({}, '', path);
  window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
}"""


def test_client_side_navigation_shows_results_to_staff_only(
    app: RunningApp, browser: Browser
) -> None:
    for role, allowed in (("user", False), ("staff", True)):
        context = signed_in_context(browser, app, create_user(app, role=role))
        page = context.new_page()
        page.goto(f"{app.url}/pricing")
        page.wait_for_load_state("networkidle")
        page.evaluate(_NAVIGATE_IN_APP, RESULTS)
        card = page.get_by_test_id(f"experiment-{HERO_HEADLINE.key}")
        if allowed:
            expect(card).to_be_visible()
        else:
            expect(page.get_by_test_id("forbidden")).to_contain_text("staff only")
            expect(card).to_have_count(0)
        assert page.evaluate("window.__beforeNavigation") is True
        context.close()
