"""The same app in scale-out mode: Redis-held state, two workers, DynamoDB and S3."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import ConsoleLog
from tests.support.scale_out import ScaleOutApp


def test_home_page_renders_and_connects_in_scale_out_mode(
    scale_out_app: ScaleOutApp, page: Page, console: ConsoleLog
) -> None:
    page.goto(scale_out_app.app.url)
    expect(page.get_by_test_id("hero-title")).to_contain_text("KeyCraft")
    expect(page.get_by_role("heading", name="How it works")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert console.errors == []


def test_health_reports_dynamodb_s3_and_redis_ok(scale_out_app: ScaleOutApp) -> None:
    url = scale_out_app.app.url
    body = httpx.get(f"{url}/api/health", timeout=10).json()
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["storage"]["ok"] is True
    # The remote transcriber URL has nothing behind it here: reported, not crashed.
    assert body["checks"]["transcriber"]["ok"] is False
    reflex_health = httpx.get(f"{url}/_health", timeout=10).json()
    assert reflex_health["redis"] is True


def test_metrics_add_up_across_workers(scale_out_app: ScaleOutApp) -> None:
    url = scale_out_app.app.url

    def health_count() -> float:
        text = httpx.get(f"{url}/metrics", timeout=10).text
        return sum(
            sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == "keycraft_http_requests_total"
            and sample.labels.get("route") == "/api/health"
        )

    before = health_count()
    # New connections each time, so the requests spread over both workers.
    for _ in range(6):
        assert httpx.get(f"{url}/api/health", timeout=10).status_code == 200
    assert health_count() == before + 6
