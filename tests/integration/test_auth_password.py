"""Sign-up and password sign-in over HTTP: cookies, enumeration, redirects, rate limits."""

from __future__ import annotations

import time
import uuid

from keycraft.services.auth.sessions import SESSION_COOKIE
from tests.integration.auth_client import bridge, page_client, sign_in, sign_up
from tests.support.app_server import RunningApp
from tests.support.auth_services import PER_ACCOUNT_LIMIT, PER_IP_LIMIT

PASSWORD = "gentle Nocturne 48"


def _email() -> str:
    return f"pianist-{uuid.uuid4().hex[:10]}@example.com"


def test_sign_up_sets_a_hardened_session_cookie_and_the_bridge_sees_the_user(
    app: RunningApp,
) -> None:
    email = _email()
    with page_client(app) as client:
        response = sign_up(client, f"  {email.upper()} ")
        assert response.status_code == 303
        assert response.headers["location"] == "/projects"  # no ``next``: their projects
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{SESSION_COOKIE}=")
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
        assert "Secure" not in cookie  # localhost over plain HTTP; Secure everywhere else
        body = bridge(client)
        headers = client.get("/api/session").headers
    assert headers["cache-control"] == "no-store"
    assert body["authenticated"] is True
    user = body["user"]
    assert user["email"] == email  # normalised
    assert user["name"] == "Ada"
    assert user["has_paid"] is False and user["active_plans"] == []
    assert user["downloads"]["used"] == 0 and user["downloads"]["limit"] == 3
    assert user["downloads"]["reset_date"] > "2026"
    stored = app.repository().get_user_by_email(email)
    assert stored is not None and stored.password_hash is not None
    assert stored.password_hash.startswith("$argon2id$")


def test_weak_and_duplicate_sign_ups_are_refused_with_fixed_codes(app: RunningApp) -> None:
    email = _email()
    with page_client(app) as client:
        short = sign_up(client, email, "short")
        common = sign_up(client, email, "password12345")
        assert sign_up(client, email).status_code == 303
        taken = sign_up(client, email)
    assert short.headers["location"] == "/sign-up?error=password_too_short"
    assert common.headers["location"] == "/sign-up?error=password_common"
    assert taken.headers["location"] == "/sign-up?error=email_taken"
    assert SESSION_COOKIE not in taken.headers.get("set-cookie", "")


def test_unknown_email_and_wrong_password_get_the_same_answer_in_similar_time(
    app: RunningApp,
) -> None:
    email = _email()
    with page_client(app) as client:
        sign_up(client, email)
    timings: dict[str, list[float]] = {"unknown": [], "wrong": []}
    answers = set()
    for _ in range(3):
        for kind, address in (("unknown", _email()), ("wrong", email)):
            with page_client(app) as client:
                started = time.perf_counter()
                response = sign_in(client, address, "not the password 91")
                timings[kind].append(time.perf_counter() - started)
                answers.add((response.status_code, response.headers["location"]))
                assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert answers == {(303, "/sign-in?error=invalid_credentials")}
    unknown, wrong = sorted(timings["unknown"])[1], sorted(timings["wrong"])[1]
    # Both run one argon2 verification; without the dummy hash "unknown" is ~50x faster.
    assert unknown > wrong / 3, timings


def test_sign_in_goes_to_a_safe_next_page_only(app: RunningApp) -> None:
    email = _email()
    with page_client(app) as client:
        sign_up(client, email)
    attempts = {
        "/account": "/account",
        "//evil.example/steal": "/projects",
        "https://evil.example/": "/projects",
        "/\\evil.example": "/projects",
        "http://sibling.keycraft.test/pricing": "http://sibling.keycraft.test/pricing",
    }
    assert len(attempts) <= PER_ACCOUNT_LIMIT  # (more edge cases are in the unit tests)
    for next_path, expected in attempts.items():
        with page_client(app) as client:
            response = sign_in(client, email, PASSWORD, next_path)
            assert response.status_code == 303
            assert response.headers["location"] == expected, next_path


def test_a_form_sent_before_its_next_field_synced_uses_the_pages_own_next(
    app: RunningApp,
) -> None:
    email = _email()
    with page_client(app) as client:
        sign_up(client, email)
    referers = {
        f"{app.url}/sign-in?next=%2Faccount": "/account",
        f"{app.url}/sign-in?next=%2F%2Fevil.example%2F": "/projects",
        "https://evil.example/sign-in?next=%2Faccount": "/projects",  # not our page: ignored
    }
    for referer, expected in referers.items():
        with page_client(app, Referer=referer) as client:
            response = sign_in(client, email, PASSWORD, next_path="")
            assert response.status_code == 303
            assert response.headers["location"] == expected, referer


def test_sign_in_is_rate_limited_per_account(app: RunningApp) -> None:
    email = _email()
    with page_client(app) as client:
        sign_up(client, email)
    statuses = []
    for _ in range(PER_ACCOUNT_LIMIT + 1):
        with page_client(app) as client:  # a new address each time: only the account limit
            statuses.append(sign_in(client, email, "wrong password 123").status_code)
    assert statuses == [303] * PER_ACCOUNT_LIMIT + [429]
    with page_client(app) as client:
        limited = sign_in(client, email, PASSWORD)
    assert limited.status_code == 429  # even the right password waits for the window
    assert int(limited.headers["retry-after"]) > 0
    assert "Too many attempts" in limited.text


def test_sign_in_is_rate_limited_per_ip(app: RunningApp) -> None:
    with page_client(app) as client:
        statuses = [
            sign_in(client, _email(), "whatever it is 1").status_code
            for _ in range(PER_IP_LIMIT + 1)
        ]
    assert statuses == [303] * PER_IP_LIMIT + [429]


def test_sign_up_is_rate_limited_per_ip(app: RunningApp) -> None:
    with page_client(app) as client:
        statuses = [sign_up(client, _email(), "short").status_code for _ in range(PER_IP_LIMIT + 1)]
    assert statuses == [303] * PER_IP_LIMIT + [429]
