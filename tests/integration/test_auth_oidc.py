"""OpenID Connect sign-in against a real local provider (npm oidc-provider)."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.integration.auth_client import bridge, client_ip, page_client, sign_up
from tests.support.app_server import RunningApp
from tests.support.auth_services import OidcConfig


def _browser(app: RunningApp) -> httpx.Client:
    # The provider redirects back to APP_URL, so the flow runs on that host (cookies are per host).
    return httpx.Client(
        base_url=app.env["APP_URL"],
        headers={"X-Forwarded-For": client_ip(), "Origin": app.env["APP_URL"]},
        timeout=20,
    )


def _run_flow(client: httpx.Client, login: str, query: str = "") -> httpx.Response:
    """Follow start → provider → callback, stopping at the app's final redirect."""
    response = client.get(f"/api/auth/oauth/oidc/start?login_hint={login}{query}")
    for _ in range(12):
        location = response.headers.get("location", "")
        if response.status_code not in (302, 303) or "/api/auth/oauth/oidc/callback" in str(
            response.request.url
        ):
            return response
        response = client.get(str(response.request.url.join(location)))
    raise AssertionError("the flow did not come back")


def test_start_sends_code_flow_with_pkce_state_and_nonce(
    app: RunningApp, oidc_provider: OidcConfig
) -> None:
    with _browser(app) as client:
        start = client.get("/api/auth/oauth/oidc/start")
    assert start.status_code == 302
    target = urlsplit(start.headers["location"])
    params = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}" == oidc_provider.issuer
    assert params["response_type"] == ["code"]
    assert params["code_challenge_method"] == ["S256"] and params["code_challenge"][0]
    assert params["state"][0] and params["nonce"][0]
    assert params["redirect_uri"] == [f"{app.env['APP_URL']}/api/auth/oauth/oidc/callback"]
    assert "kc_oauth=" in start.headers["set-cookie"]


def test_oidc_sign_in_creates_a_verified_account(
    app: RunningApp, oidc_provider: OidcConfig
) -> None:
    email = f"oidc-{uuid.uuid4().hex[:10]}@example.com"
    with _browser(app) as client:
        done = _run_flow(client, email, "&next=/account")
        assert done.status_code == 303, done.text
        assert done.headers["location"] == "/account"
        body = bridge(client)
    assert body["user"]["email"] == email
    assert body["user"]["name"] == f"OIDC {email.split('@')[0]}"
    repo = app.repository()
    user = repo.get_user_by_email(email)
    assert user is not None and user.email_verified and user.password_hash is None
    assert [a.provider for a in repo.list_oauth_accounts(user.id)] == ["oidc"]


def test_oidc_links_to_an_existing_account_by_verified_email(
    app: RunningApp, oidc_provider: OidcConfig
) -> None:
    email = f"both-{uuid.uuid4().hex[:10]}@example.com"
    with page_client(app) as client:
        sign_up(client, email)
    before = app.repository().get_user_by_email(email)
    assert before is not None
    with _browser(app) as client:
        done = _run_flow(client, email)
        assert done.headers["location"] == "/projects"  # started with no ``next``
        assert bridge(client)["user"]["id"] == before.id
    after = app.repository().get_user_by_email(email)
    # The address was never verified by its password owner, so that password is dropped.
    assert after is not None and after.email_verified and after.password_hash is None


def test_unverified_provider_email_is_refused(app: RunningApp, oidc_provider: OidcConfig) -> None:
    email = f"unverified-{uuid.uuid4().hex[:8]}@example.com"
    with _browser(app) as client:
        done = _run_flow(client, email)
        assert done.headers["location"] == "/sign-in?error=oauth_unverified"
        assert bridge(client)["authenticated"] is False
    assert app.repository().get_user_by_email(email) is None


def test_callback_without_our_state_cookie_fails_safely(
    app: RunningApp, oidc_provider: OidcConfig
) -> None:
    with _browser(app) as client:
        forged = client.get("/api/auth/oauth/oidc/callback?code=abc&state=def")
    assert forged.status_code == 303
    assert forged.headers["location"] == "/sign-in?error=oauth_failed"


def test_disabled_providers_do_not_exist(app: RunningApp) -> None:
    with _browser(app) as client:
        assert client.get("/api/auth/oauth/google/start").status_code == 404
        assert client.get("/api/auth/oauth/github/start").status_code == 404


def test_a_password_user_connects_the_provider_to_their_account(
    app: RunningApp, oidc_provider: OidcConfig
) -> None:
    email = f"pw-{uuid.uuid4().hex[:10]}@example.com"
    other_identity = f"work-{uuid.uuid4().hex[:10]}@example.com"
    with _browser(app) as client:
        assert sign_up(client, email).status_code == 303
        done = _run_flow(client, other_identity, "&intent=link")
        assert done.headers["location"] == "/account?notice=provider_linked"
        body = bridge(client)
    assert body["user"]["email"] == email
    repo = app.repository()
    user = repo.get_user_by_email(email)
    assert user is not None and user.password_hash is not None
    assert [(a.provider, a.email) for a in repo.list_oauth_accounts(user.id)] == [
        ("oidc", other_identity)
    ]
    assert repo.get_user_by_email(other_identity) is None
    # Later, signing in with that identity (signed out) reaches the same account.
    with _browser(app) as fresh:
        _run_flow(fresh, other_identity)
        assert bridge(fresh)["user"]["id"] == user.id


def test_a_provider_saying_email_verified_false_as_a_string_is_refused(
    app: RunningApp, oidc_provider: OidcConfig
) -> None:
    email = f"stringfalse-{uuid.uuid4().hex[:8]}@example.com"
    with page_client(app) as squatter:
        sign_up(squatter, email)  # an unverified account the provider's claim must not take
    with _browser(app) as client:
        done = _run_flow(client, email)
        assert done.headers["location"] == "/sign-in?error=oauth_unverified"
        assert bridge(client)["authenticated"] is False
    user = app.repository().get_user_by_email(email)
    assert user is not None and not user.email_verified
