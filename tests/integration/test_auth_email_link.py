"""Email links through a real SMTP sink: passwordless sign-in, single use, verification."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

from tests.integration.auth_client import bridge, page_client, sign_up
from tests.support.app_server import RunningApp
from tests.support.auth_services import PER_ACCOUNT_LIMIT, SmtpSink


def _token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


def test_email_link_signs_in_a_new_address_once(app: RunningApp, smtp_sink: SmtpSink) -> None:
    email = f"link-{uuid.uuid4().hex[:10]}@example.com"
    with page_client(app) as client:
        asked = client.post("/api/auth/email-link", data={"email": email.upper()})
        assert asked.status_code == 303
        # SMTP is configured, so the link is never put on screen.
        assert asked.headers["location"] == "/sign-in/link?sent=1"
        link = smtp_sink.wait_for_link(email)
        assert link.startswith(app.env["APP_URL"] + "/sign-in/link?token=")
        landing = client.get(
            urlsplit(link).path + "?" + urlsplit(link).query, follow_redirects=True
        )
        assert landing.status_code == 200
        assert bridge(client)["authenticated"] is False  # opening the page alone signs nobody in
        used = client.post("/api/auth/email-link/verify", data={"token": _token(link)})
        assert used.status_code == 303
        assert used.headers["location"] == "/projects"  # asked with no ``next``: their projects
        assert bridge(client)["user"]["email"] == email
    with page_client(app) as other:
        replay = other.post("/api/auth/email-link/verify", data={"token": _token(link)})
        assert replay.headers["location"] == "/sign-in/link?error=link_invalid"
        assert bridge(other)["authenticated"] is False
    user = app.repository().get_user_by_email(email)
    assert user is not None and user.email_verified and user.password_hash is None


def test_sign_up_sends_a_verification_link(app: RunningApp, smtp_sink: SmtpSink) -> None:
    email = f"verify-{uuid.uuid4().hex[:10]}@example.com"
    with page_client(app) as client:
        sign_up(client, email)
        user = app.repository().get_user_by_email(email)
        assert user is not None and not user.email_verified
        link = smtp_sink.wait_for_link(email)
        client.post("/api/auth/email-link/verify", data={"token": _token(link), "next": "/account"})
    user = app.repository().get_user_by_email(email)
    assert user is not None and user.email_verified


def test_email_link_requests_are_rate_limited_per_account(
    app: RunningApp, smtp_sink: SmtpSink
) -> None:
    email = f"many-{uuid.uuid4().hex[:10]}@example.com"
    statuses = []
    for _ in range(PER_ACCOUNT_LIMIT + 1):
        with page_client(app) as client:
            statuses.append(client.post("/api/auth/email-link", data={"email": email}).status_code)
    assert statuses == [303] * PER_ACCOUNT_LIMIT + [429]
    assert len(smtp_sink.messages_to(email)) == PER_ACCOUNT_LIMIT


def test_bad_and_unknown_tokens_are_refused_alike(app: RunningApp) -> None:
    with page_client(app) as client:
        for token in ("", "x" * 43, "y" * 500):
            response = client.post("/api/auth/email-link/verify", data={"token": token})
            assert response.headers["location"] == "/sign-in/link?error=link_invalid"


def test_an_email_link_evicts_a_squatter_who_signed_up_with_the_address(
    app: RunningApp, smtp_sink: SmtpSink
) -> None:
    email = f"owner-{uuid.uuid4().hex[:10]}@example.com"
    with page_client(app) as squatter, page_client(app) as owner:
        assert sign_up(squatter, email, "squatter Harpsichord 9031").status_code == 303
        assert bridge(squatter)["authenticated"] is True
        owner.post("/api/auth/email-link", data={"email": email})
        link = smtp_sink.wait_for_link(email, count=2)  # the first is the sign-up's own
        used = owner.post("/api/auth/email-link/verify", data={"token": _token(link)})
        assert used.headers["location"] == "/account?notice=account_reclaimed"
        assert bridge(owner)["user"]["email"] == email
        assert bridge(squatter)["authenticated"] is False
        again = squatter.post(
            "/api/auth/sign-in", data={"email": email, "password": "squatter Harpsichord 9031"}
        )
        assert again.headers["location"].startswith("/sign-in?")
    user = app.repository().get_user_by_email(email)
    assert user is not None and user.email_verified and user.password_hash is None


def test_the_sign_up_verification_link_opened_elsewhere_also_evicts(
    app: RunningApp, smtp_sink: SmtpSink
) -> None:
    email = f"victim-{uuid.uuid4().hex[:10]}@example.com"
    with page_client(app) as squatter, page_client(app) as owner:
        sign_up(squatter, email, "squatter Harpsichord 9031")
        link = smtp_sink.wait_for_link(email)
        owner.post("/api/auth/email-link/verify", data={"token": _token(link)})
        assert bridge(owner)["user"]["email"] == email
        assert bridge(squatter)["authenticated"] is False
    user = app.repository().get_user_by_email(email)
    assert user is not None and user.password_hash is None
