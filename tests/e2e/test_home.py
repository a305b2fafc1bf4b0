"""Journey: a visitor opens the home page."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ConsoleLog
from tests.support.app_server import RunningApp
from tests.support.transcriber_server import RealTranscriber


def test_home_page_renders_the_product_without_console_errors(
    app: RunningApp, page: Page, console: ConsoleLog
) -> None:
    page.goto(app.url)
    expect(page.get_by_test_id("hero-title")).to_contain_text("KeyCraft")
    expect(page).to_have_title("KeyCraft — turn piano recordings into editable MIDI")
    expect(page.get_by_role("heading", name="How it works")).to_be_visible()
    # Wait for the state connection, where a broken backend would log errors.
    page.wait_for_load_state("networkidle")
    assert console.errors == []


def test_health_endpoint_reports_each_dependency(
    app: RunningApp, page: Page, transcriber: RealTranscriber
) -> None:
    response = page.request.get(f"{app.url}/api/health")
    assert response.status == 200
    body = response.json()
    assert set(body["checks"]) == {"database", "storage", "transcriber"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["storage"]["ok"] is True
    assert body["checks"]["transcriber"]["ok"] is True  # its models are loaded
    assert body["status"] == "ok"
    # A stopped transcriber is reported, not crashed on, in test_scale_out.py.
