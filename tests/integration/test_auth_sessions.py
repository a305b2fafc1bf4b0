"""Sessions over HTTP: bridge, CORS, CSRF, tampered/expired/revoked cookies, logout hygiene."""

from __future__ import annotations

import uuid
from contextlib import closing
from datetime import timedelta

import httpx

from keycraft.services.auth.sessions import SESSION_COOKIE, hash_token, start_session
from keycraft.services.clock import utc_now
from keycraft.services.domain import Session
from tests.integration.auth_client import bridge, page_client, sign_up
from tests.support.app_server import RunningApp
from tests.support.auth_services import SIBLING_ORIGIN
from tests.support.signed_in import create_user

SIBLING = SIBLING_ORIGIN


def _signed_in(app: RunningApp) -> tuple[httpx.Client, str]:
    client = page_client(app)
    email = f"s-{uuid.uuid4().hex[:10]}@example.com"
    assert sign_up(client, email).status_code == 303
    return client, email


def test_bridge_reports_signed_out_without_a_cookie(app: RunningApp) -> None:
    with page_client(app) as client:
        assert bridge(client) == {"authenticated": False, "user": None}


def test_tampered_unknown_and_expired_cookies_are_signed_out(app: RunningApp) -> None:
    repo = app.repository()
    user = create_user(app)
    now = utc_now()
    issued = start_session(repo, user.id, "pytest", now)
    expired_token = "expired-" + uuid.uuid4().hex
    repo.create_session(
        Session(
            token_hash=hash_token(expired_token),
            user_id=user.id,
            created_at=now - timedelta(days=40),
            last_seen_at=now - timedelta(days=31),
            expires_at=now - timedelta(seconds=1),
        )
    )
    for token in (issued.token[:-1] + "x", "garbage", expired_token, issued.token + "a"):
        with page_client(app) as client:
            client.cookies.set(SESSION_COOKIE, token)
            assert bridge(client)["authenticated"] is False, token
    assert repo.get_session(hash_token(expired_token)) is None  # expired sessions are purged
    with page_client(app) as client:
        client.cookies.set(SESSION_COOKIE, issued.token)
        assert bridge(client)["user"]["id"] == user.id


def test_a_session_ends_at_its_absolute_lifetime_however_active(app: RunningApp) -> None:
    repo = app.repository()
    user = create_user(app)
    now = utc_now()
    token = "old-" + uuid.uuid4().hex
    repo.create_session(
        Session(
            token_hash=hash_token(token),
            user_id=user.id,
            created_at=now - timedelta(days=91),
            last_seen_at=now - timedelta(minutes=5),  # used all along, so never slid out
            expires_at=now + timedelta(days=29),
        )
    )
    with page_client(app) as client:
        client.cookies.set(SESSION_COOKIE, token)
        assert bridge(client)["authenticated"] is False
    assert repo.get_session(hash_token(token)) is None


def test_state_changing_requests_need_a_trusted_origin(app: RunningApp) -> None:
    client, _ = _signed_in(app)
    with closing(client):
        for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}):
            response = client.post("/api/logout", headers=headers)
            assert response.status_code == 403
        no_origin = httpx.Client(base_url=app.url, cookies=client.cookies, timeout=20)
        assert no_origin.post("/api/logout").status_code == 403
        assert no_origin.post("/api/account/delete", data={"confirm_email": "x"}).status_code == 403
        referer_only = no_origin.post(
            "/api/auth/sign-in",
            headers={"Referer": "https://evil.example/page"},
            data={"email": "a@example.com", "password": "x"},
        )
        assert referer_only.status_code == 403
        cross_site = client.post("/api/logout", headers={"Sec-Fetch-Site": "cross-site"})
        assert cross_site.status_code == 403
        assert bridge(client)["authenticated"] is True  # none of them signed us out
        same_site_referer = no_origin.post("/api/logout", headers={"Referer": f"{app.url}/account"})
        assert same_site_referer.status_code == 303


def test_logout_revokes_the_session_and_expires_the_cookie(app: RunningApp) -> None:
    client, _ = _signed_in(app)
    with closing(client):
        token = client.cookies[SESSION_COOKIE]
        response = client.post("/api/logout", data={"next": "//evil.example"})
        assert response.status_code == 303
        assert response.headers["location"] == "/"
        expiries = response.headers.get_list("set-cookie")
        assert any(c.startswith(f'{SESSION_COOKIE}=""') and "Max-Age=0" in c for c in expiries)
        assert app.repository().get_session(hash_token(token)) is None
        # Replaying the old cookie after logout gets nothing.
        replay = httpx.Client(base_url=app.url, timeout=20)
        replay.cookies.set(SESSION_COOKIE, token)
        assert bridge(replay)["authenticated"] is False


def test_sign_out_everywhere_revokes_every_session(app: RunningApp) -> None:
    repo = app.repository()
    user = create_user(app)
    tokens = [start_session(repo, user.id, f"device {i}", utc_now()).token for i in range(3)]
    with page_client(app) as client:
        client.cookies.set(SESSION_COOKIE, tokens[0])
        response = client.post("/api/logout", data={"scope": "all"})
        assert response.status_code == 303
    assert repo.list_user_sessions(user.id) == []


def test_bridge_allows_credentialed_cors_only_for_sibling_origins(app: RunningApp) -> None:
    client, email = _signed_in(app)
    with closing(client):
        sibling = client.get("/api/session", headers={"Origin": SIBLING})
        evil = client.get("/api/session", headers={"Origin": "https://evil.example"})
        preflight = client.options(
            "/api/logout",
            headers={"Origin": SIBLING, "Access-Control-Request-Method": "POST"},
        )
        evil_preflight = client.options(
            "/api/logout",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        sibling_logout = client.post(
            "/api/logout", headers={"Origin": SIBLING, "Accept": "application/json"}
        )
    assert sibling.headers["access-control-allow-origin"] == SIBLING
    assert sibling.headers["access-control-allow-credentials"] == "true"
    assert sibling.json()["user"]["email"] == email
    assert "access-control-allow-origin" not in evil.headers
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == SIBLING
    assert "access-control-allow-origin" not in evil_preflight.headers
    assert sibling_logout.status_code == 200
    assert sibling_logout.json() == {"authenticated": False, "user": None}
    assert sibling_logout.headers["access-control-allow-origin"] == SIBLING
