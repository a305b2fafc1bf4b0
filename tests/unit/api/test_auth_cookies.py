"""The auth endpoints in-process (real SQLite): cookie attributes, logout, dev-only links."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from keycraft.api import build_api
from keycraft.config import Settings
from keycraft.manage import migrate
from keycraft.services.auth.sessions import SESSION_COOKIE
from keycraft.services.container import build_services, override_services

APP = "https://app.keycraft.org"


def _client(tmp_path: Path, **settings: str) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    values = {"DATABASE_URL": url, "MEDIA_DIR": str(tmp_path / "media"), "APP_URL": APP}
    config = Settings(**{**values, **settings})  # type: ignore[arg-type]
    migrate(config)
    # Alembic's logging setup disables existing loggers and replaces the root handlers (so
    # caplog's); the app never migrates in-process, so undo that to see what the mailer logs.
    logging.getLogger("keycraft.services.auth.mailer").disabled = False
    override_services(build_services(config))
    try:
        with TestClient(build_api(), base_url=APP, headers={"Origin": APP}) as client:
            yield client
    finally:
        override_services(None)


@pytest.fixture
def shared_domain(tmp_path: Path) -> Iterator[TestClient]:
    yield from _client(tmp_path, SESSION_COOKIE_DOMAIN=".keycraft.org")


def _session_cookies(headers: list[str]) -> list[str]:
    return [h for h in headers if h.startswith(f"{SESSION_COOKIE}=")]


def test_session_cookie_is_shared_with_the_parent_domain(shared_domain: TestClient) -> None:
    response = shared_domain.post(
        "/api/auth/sign-up",
        data={"email": "c@example.com", "password": "gentle Nocturne 48"},
        follow_redirects=False,
    )
    [cookie] = _session_cookies(response.headers.get_list("set-cookie"))
    assert "Domain=.keycraft.org" in cookie and "Secure" in cookie and "HttpOnly" in cookie
    assert "SameSite=lax" in cookie and "Path=/" in cookie


def test_logout_expires_the_host_only_and_every_domain_cookie(shared_domain: TestClient) -> None:
    response = shared_domain.post("/api/logout", follow_redirects=False)
    expiries = _session_cookies(response.headers.get_list("set-cookie"))
    assert all("Max-Age=0" in c and "Path=/" in c and "Secure" in c for c in expiries)
    domains = sorted(
        c.split("Domain=")[1].split(";")[0] if "Domain=" in c else "" for c in expiries
    )
    # Host-only, the configured domain, and the host's own domain (an earlier setting).
    assert domains == ["", ".keycraft.org", "app.keycraft.org"]


@pytest.mark.parametrize(("env", "shown"), [("dev", True), ("prod", False)])
def test_without_smtp_the_link_is_logged_and_shown_in_dev_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, env: str, shown: bool
) -> None:
    mailer_log = logging.getLogger("keycraft.services.auth.mailer")
    for client in _client(tmp_path, KEYCRAFT_ENV=env):
        mailer_log.addHandler(caplog.handler)
        try:
            response = client.post(
                "/api/auth/email-link", data={"email": "d@example.com"}, follow_redirects=False
            )
        finally:
            mailer_log.removeHandler(caplog.handler)
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["sent"] == ["1"]
    assert ("dev_link" in query) is shown
    assert (f"{APP}/sign-in/link?token=" in caplog.text) is shown
    assert "d@example.com" in caplog.text
