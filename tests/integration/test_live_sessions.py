"""Reflex events over a real socket: private handlers act only for a live session cookie."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from keycraft.services import projects
from keycraft.services.auth.sessions import SESSION_COOKIE, start_session
from keycraft.services.clock import utc_now
from keycraft.state.auth import SESSION_RECHECK_S, AuthState
from keycraft.state.projects import ProjectsState
from tests.support.app_server import RunningApp
from tests.support.reflex_socket import ReflexSocket
from tests.support.signed_in import create_user

REQUIRE_USER = f"{AuthState.get_full_name()}.require_user"
LOAD = f"{ProjectsState.get_full_name()}.load"
DUPLICATE = f"{ProjectsState.get_full_name()}.duplicate"


def _signed_in_with_a_project(app: RunningApp, title: str) -> tuple[str, str, str]:
    repo = app.repository()
    user = create_user(app)
    project = projects.create_project(repo, user.id, title, utc_now())
    token = start_session(repo, user.id, "socket", utc_now()).token
    return user.id, project.id, token


def _open_projects_page(tab: ReflexSocket) -> None:
    """What the projects page's on-load does: resolve the cookie, then load the list."""
    tab.send(REQUIRE_USER, "/projects")
    tab.send(LOAD, "/projects")


def _shows(title: str) -> Any:
    return lambda update: title in json.dumps(update)


def _sent_to_sign_in(update: dict[str, Any]) -> bool:
    return any(
        e.get("name") == "_redirect" and str(e["payload"]["path"]).startswith("/sign-in")
        for e in update.get("events", [])
    )


def test_sign_out_everywhere_reaches_a_socket_that_stays_open(app: RunningApp) -> None:
    user_id, project_id, token = _signed_in_with_a_project(app, "Nocturne for the socket")
    with ReflexSocket(app.url, cookie=f"{SESSION_COOKIE}={token}") as tab:
        _open_projects_page(tab)
        tab.wait_for_update(_shows("Nocturne for the socket"))
        signed_out = httpx.post(
            f"{app.url}/api/logout",
            data={"scope": "all"},
            cookies={SESSION_COOKIE: token},
            headers={"Origin": app.url},
        )
        assert signed_out.status_code == 303
        # The open tab keeps sending events (a few a second); within seconds (the
        # session check's lifetime) they are refused.
        deadline = time.monotonic() + SESSION_RECHECK_S + 10
        while time.monotonic() < deadline:
            tab.send(LOAD, "/projects")
            if _sent_to_sign_in(tab.wait_for_update(lambda u: True)):
                break
            time.sleep(0.25)  # pacing, like a user's clicks
        else:
            raise AssertionError("the revoked session kept working")
        tab.send(DUPLICATE, "/projects", project_id=project_id)
        assert _sent_to_sign_in(tab.wait_for_update(lambda u: True))
    assert len(projects.list_projects(app.repository(), user_id)) == 1


def test_a_reconnect_with_an_old_client_token_needs_a_valid_cookie(app: RunningApp) -> None:
    _, _, token = _signed_in_with_a_project(app, "Etude left behind")
    with ReflexSocket(app.url, cookie=f"{SESSION_COOKIE}={token}") as tab:
        _open_projects_page(tab)
        tab.wait_for_update(_shows("Etude left behind"))
        client_token = tab.token
    # Same client token (as a browser's session storage keeps it), no cookie.
    with ReflexSocket(app.url, token=client_token) as stranger:
        stranger.send(LOAD, "/projects")
        update = stranger.wait_for_update(
            lambda u: "_redirect" in json.dumps(u) or "rows" in json.dumps(u)
        )
        assert _sent_to_sign_in(update)
        assert "Etude left behind" not in json.dumps(stranger.updates)
