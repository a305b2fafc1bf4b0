"""Journeys: sign up and out, sign in by email link, sign in with the local OIDC provider."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ConsoleLog
from tests.support.app_server import RunningApp
from tests.support.auth_services import OIDC_DEFAULT_LOGIN, OidcConfig, SmtpSink


def _email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def _session(page: Page, base: str) -> dict:
    response = page.request.get(f"{base}/api/session")
    assert response.headers["cache-control"] == "no-store"
    return response.json()


def test_sign_up_lands_signed_in_and_sign_out_ends_the_session(
    app: RunningApp, page: Page, console: ConsoleLog
) -> None:
    email = _email("journey")
    page.goto(f"{app.url}/sign-up")
    page.get_by_label("Name").fill("Clara")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill("gentle Nocturne 48")
    page.get_by_test_id("sign-up-submit").click()
    page.wait_for_url(re.compile(re.escape(f"{app.url}/projects") + "/?$"))
    page.get_by_test_id("nav-account").click()
    expect(page.get_by_test_id("account-email")).to_have_text(email)
    expect(page.get_by_test_id("account-plan")).to_contain_text("Free")
    expect(page.get_by_test_id("account-quota")).to_contain_text("0 of 3 MIDI downloads")
    expect(page.get_by_test_id("account-sessions")).to_contain_text("this device")
    assert _session(page, app.url)["user"]["email"] == email

    page.get_by_test_id("nav-sign-out").click()
    page.wait_for_url(f"{app.url}/")
    expect(page.get_by_test_id("nav-sign-in")).to_be_visible()
    assert _session(page, app.url) == {"authenticated": False, "user": None}
    page.goto(f"{app.url}/account")
    page.wait_for_url(re.compile(r"/sign-in\?next=%2Faccount$"))
    expect(page.get_by_test_id("account-email")).to_have_count(0)
    assert console.errors == []


def test_wrong_password_shows_one_fixed_message(app: RunningApp, page: Page) -> None:
    page.goto(f"{app.url}/sign-in")
    page.get_by_label("Email", exact=True).fill(_email("nobody"))
    page.get_by_label("Password").fill("not my password 1")
    page.get_by_test_id("sign-in-submit").click()
    expect(page.get_by_test_id("form-error")).to_have_text(
        "That email and password don't match an account. Check both, or sign in with an email link."
    )


def test_sign_in_by_email_link(
    app: RunningApp, page: Page, console: ConsoleLog, smtp_sink: SmtpSink
) -> None:
    email = _email("linked")
    page.goto(f"{app.url}/sign-in")
    page.get_by_label("Or get a sign-in link by email").fill(email)
    page.get_by_test_id("email-link-submit").click()
    expect(page.get_by_test_id("email-link-sent")).to_be_visible()
    expect(page.get_by_test_id("dev-email-link")).to_have_count(0)  # SMTP is configured
    link = smtp_sink.wait_for_link(email)
    page.goto(link.replace(app.env["APP_URL"], app.url))
    page.get_by_test_id("email-link-confirm").click()
    page.wait_for_url(re.compile(re.escape(f"{app.url}/projects") + "/?$"))
    page.get_by_test_id("nav-account").click()
    expect(page.get_by_test_id("account-email")).to_have_text(email)
    assert console.errors == []


def test_sign_in_with_the_local_oidc_provider(
    app: RunningApp, page: Page, console: ConsoleLog, oidc_provider: OidcConfig
) -> None:
    # The provider only knows the redirect URI on APP_URL's host, so the journey runs there.
    base = app.env["APP_URL"]
    page.goto(f"{base}/sign-in?next=/account")
    page.get_by_test_id("oauth-oidc").click()
    page.wait_for_url(re.compile(re.escape(f"{base}/account") + "/?$"))
    expect(page.get_by_test_id("account-email")).to_have_text(OIDC_DEFAULT_LOGIN)
    expect(page.get_by_test_id("method-provider")).to_have_text("Connected: Local OIDC")
    assert _session(page, base)["user"]["email"] == OIDC_DEFAULT_LOGIN

    # The provider-only account adds a password, then signs out everywhere.
    expect(page.get_by_test_id("method-password")).to_have_text("Password: not set")
    page.get_by_label("New password").fill("Sonata in C 1788")
    page.get_by_test_id("password-submit").click()
    expect(page.get_by_test_id("account-notice")).to_have_text(
        "Your password is saved. Your other sessions are signed out."
    )
    expect(page.get_by_test_id("method-password")).to_have_text("Password: set")
    page.get_by_test_id("sign-out-everywhere").click()
    page.wait_for_url(f"{base}/")
    assert _session(page, base) == {"authenticated": False, "user": None}
    assert console.errors == []
