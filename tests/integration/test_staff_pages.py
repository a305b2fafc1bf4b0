"""Staff pages over real HTTP: 403 for signed-out visitors and other users, 200 for staff."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import httpx
import pytest

from keycraft.routes import ADMIN_EXPERIMENTS
from keycraft.services.auth.sessions import SESSION_COOKIE, start_session
from keycraft.services.clock import utc_now
from tests.support.app_server import RunningApp
from tests.support.signed_in import create_user


def _get(app: RunningApp, path: str, token: str = "") -> httpx.Response:
    cookies = {SESSION_COOKIE: token} if token else {}
    # Static pages may redirect to their folder (a trailing slash), as browsers would follow.
    with httpx.Client(
        base_url=app.url, cookies=cookies, timeout=20, follow_redirects=True
    ) as client:
        return client.get(path)


def _token(app: RunningApp, role: str) -> str:
    user = create_user(app, role=role)
    return start_session(app.repository(), user.id, "pytest", utc_now()).token


def _assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert "Staff only" in response.text
    assert 'href="/">Go to the home page</a>' in response.text
    assert "experiment-" not in response.text  # no results, not even the page shell


@pytest.mark.parametrize(
    "path",
    [
        ADMIN_EXPERIMENTS.path,
        f"{ADMIN_EXPERIMENTS.path}/",
        "/admin",
    ],
)
def test_signed_out_visitors_get_a_403_page(app: RunningApp, path: str) -> None:
    _assert_refused(_get(app, path))


@pytest.mark.parametrize(
    "path", [f"/{ADMIN_EXPERIMENTS.path}", f"//{ADMIN_EXPERIMENTS.path}/", "/./admin/experiments"]
)
def test_other_spellings_of_a_staff_path_get_the_403_page(app: RunningApp, path: str) -> None:
    # http.client sends the path as written (httpx would read "//admin" as a host name).
    parts = urlsplit(app.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=20)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode()
    finally:
        connection.close()
    assert response.status == 403
    assert "Staff only" in body and "experiment-" not in body


def test_a_forged_session_cookie_gets_a_403_page(app: RunningApp) -> None:
    _assert_refused(_get(app, ADMIN_EXPERIMENTS.path, "not-a-session"))


def test_signed_in_users_who_are_not_staff_get_a_403_page(app: RunningApp) -> None:
    _assert_refused(_get(app, ADMIN_EXPERIMENTS.path, _token(app, "user")))


def test_staff_get_the_results_page(app: RunningApp) -> None:
    response = _get(app, ADMIN_EXPERIMENTS.path, _token(app, "staff"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert f"<title>{ADMIN_EXPERIMENTS.title}</title>" in response.text


def test_other_pages_are_not_guarded(app: RunningApp) -> None:
    assert _get(app, "/pricing").status_code == 200
