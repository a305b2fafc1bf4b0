"""Browser contexts that look like real visitors (a desktop or phone browser user agent)."""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, ViewportSize

from keycraft.services.experiments.assignment import VISITOR_COOKIE, assign, new_visitor_id
from keycraft.services.experiments.model import Experiment
from tests.support.app_server import RunningApp

DESKTOP_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
PHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


def visitor_context(
    browser: Browser, viewport: ViewportSize = DESKTOP, user_agent: str = DESKTOP_UA
) -> BrowserContext:
    """A context whose user agent is a normal browser's, so it is not excluded as a bot."""
    return browser.new_context(viewport=viewport, user_agent=user_agent)


def visitor_id_for(experiment: Experiment, variant: str) -> str:
    """A fresh visitor id that ``experiment`` assigns to ``variant``."""
    while True:
        candidate = new_visitor_id()
        if assign(experiment, candidate) == variant:
            return candidate


def set_visitor_cookie(context: BrowserContext, app: RunningApp, visitor_id: str) -> None:
    """Give ``context`` an existing visitor id, as a returning visitor would have."""
    context.add_cookies([{"name": VISITOR_COOKIE, "value": visitor_id, "url": app.url}])


def visitor_cookie(context: BrowserContext) -> str:
    """The visitor id the app set in ``context`` ('' if none)."""
    return next((c["value"] for c in context.cookies() if c["name"] == VISITOR_COOKIE), "")
