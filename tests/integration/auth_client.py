"""An HTTP client that behaves like a browser page of the app: same-origin forms, its own IP."""

from __future__ import annotations

import itertools
from urllib.parse import urlsplit

import httpx

from keycraft.services.auth.sessions import SESSION_COOKIE, start_session
from keycraft.services.clock import utc_now
from keycraft.services.domain import Project
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.signed_in import create_user

_addresses = itertools.count(1)


def client_ip() -> str:
    """A distinct client address per call, so rate limits never leak between tests."""
    n = next(_addresses)
    return f"198.51.{n // 250}.{n % 250 + 1}"


def page_client(app: RunningApp, base_url: str = "", **headers: str) -> httpx.Client:
    """A cookie-keeping client posting from the app's own origin with a fresh client address."""
    base = base_url or app.url
    return httpx.Client(
        base_url=base,
        headers={"Origin": base, "X-Forwarded-For": client_ip(), **headers},
        timeout=20,
    )


def client_with_project(app: RunningApp, title: str = "Etude") -> tuple[httpx.Client, Project]:
    """A new user's signed-in page client and an empty project of theirs."""
    user = create_user(app)
    project = app.repository().create_project(make_project(user, title=title, notes=0))
    issued = start_session(app.repository(), user.id, "api-test", utc_now())
    client = page_client(app)
    client.cookies.set(SESSION_COOKIE, issued.token, domain=urlsplit(app.url).hostname or "")
    return client, project


def sign_up(
    client: httpx.Client, email: str, password: str = "gentle Nocturne 48"
) -> httpx.Response:
    """Submit the sign-up form."""
    return client.post(
        "/api/auth/sign-up", data={"email": email, "password": password, "name": "Ada"}
    )


def sign_in(client: httpx.Client, email: str, password: str, next_path: str = "") -> httpx.Response:
    """Submit the sign-in form."""
    return client.post(
        "/api/auth/sign-in", data={"email": email, "password": password, "next": next_path}
    )


def bridge(client: httpx.Client) -> dict:
    """``GET /api/session`` as this client."""
    response = client.get("/api/session")
    assert response.status_code == 200
    return response.json()
