"""Sign a browser context in by seeding a real session, as the sign-in flow would."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, BrowserContext

from keycraft.services.auth.sessions import SESSION_COOKIE, start_session
from keycraft.services.clock import utc_now
from keycraft.services.domain import User
from tests.support.app_server import RunningApp
from tests.support.factories import make_user


def create_user(app: RunningApp, **fields: object) -> User:
    """Store a new user in the app's repository."""
    return app.repository().create_user(make_user(created_at=utc_now(), **fields))  # type: ignore[arg-type]


def signed_in_context(
    browser: Browser, app: RunningApp, user: User, **options: Any
) -> BrowserContext:
    """A browser context carrying a valid HttpOnly session cookie for ``user``.

    ``options`` go to ``new_context`` (a phone's viewport, touch and mobile emulation).
    """
    issued = start_session(app.repository(), user.id, "playwright", utc_now())
    context = browser.new_context(**options)
    context.add_cookies(
        [
            {
                "name": SESSION_COOKIE,
                "value": issued.token,
                "url": app.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
    return context
