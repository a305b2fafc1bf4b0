"""Journey: pricing, privacy, terms, an unknown address, and what crawlers read."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ConsoleLog
from tests.support.app_server import RunningApp
from tests.support.page_weight import MAX_FIRST_LOAD_BYTES, transferred_bytes


@pytest.mark.parametrize(
    ("path", "title", "heading"),
    [
        ("/pricing", "Pricing — KeyCraft", "Simple pricing"),
        ("/privacy", "Privacy — KeyCraft", "Privacy policy"),
        ("/terms", "Terms of service — KeyCraft", "Terms of service"),
    ],
)
def test_each_marketing_page_has_its_title_heading_and_description(
    app: RunningApp, page: Page, console: ConsoleLog, path: str, title: str, heading: str
) -> None:
    page.goto(f"{app.url}{path}")
    expect(page).to_have_title(title)
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    og_url = page.locator('meta[property="og:url"]').get_attribute("content")
    assert og_url == f"{app.env['APP_URL']}{path}"
    page.wait_for_load_state("networkidle")
    assert console.errors == []
    assert transferred_bytes(page) < MAX_FIRST_LOAD_BYTES


def test_an_unknown_address_gets_the_404_page_with_status_404(app: RunningApp, page: Page) -> None:
    response = page.goto(f"{app.url}/no-such-page")
    assert response is not None and response.status == 404
    expect(page.get_by_test_id("not-found")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()


def test_robots_and_sitemap_name_the_public_pages_at_the_public_url(
    app: RunningApp, page: Page
) -> None:
    base = app.env["APP_URL"]
    robots = page.request.get(f"{app.url}/robots.txt")
    assert robots.status == 200
    assert f"Sitemap: {base}/sitemap.xml" in robots.text()
    assert "Disallow: /admin/" in robots.text()
    sitemap = page.request.get(f"{app.url}/sitemap.xml")
    assert sitemap.status == 200
    assert sitemap.headers["content-type"].startswith("application/xml")
    for path in ("/", "/pricing", "/privacy", "/terms"):
        assert f"<loc>{base}{path}</loc>" in sitemap.text()
    assert "/admin" not in sitemap.text()
