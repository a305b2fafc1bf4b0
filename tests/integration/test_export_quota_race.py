"""50 simultaneous exports with one download left: exactly one file, 49 × 402, on both stores."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
import pytest

from keycraft.services.auth.sessions import SESSION_COOKIE, start_session
from keycraft.services.clock import utc_now
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.signed_in import create_user

RACERS = 50


@pytest.fixture(params=["sqlite", "dynamodb"])
def target(request: pytest.FixtureRequest) -> RunningApp:
    """The app on each repository backend."""
    name = "app" if request.param == "sqlite" else "dynamodb_app"
    running: RunningApp = request.getfixturevalue(name)
    return running


async def _race(url: str, cookie: str) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=RACERS)
    async with httpx.AsyncClient(
        cookies={SESSION_COOKIE: cookie}, limits=limits, timeout=60
    ) as client:
        return list(await asyncio.gather(*(client.get(url) for _ in range(RACERS))))


def test_only_one_of_fifty_simultaneous_exports_gets_the_last_download(
    target: RunningApp,
) -> None:
    repo = target.repository()
    user = create_user(target)
    project = repo.create_project(replace(make_project(user, notes=8), created_at=utc_now()))
    now = utc_now()
    for _ in range(2):  # the free plan allows 3: leave exactly one
        assert repo.consume_download(user.id, 3, now).granted
    token = start_session(repo, user.id, "race", now).token

    responses = asyncio.run(_race(f"{target.url}/api/projects/{project.id}/midi", token))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [303] + [402] * (RACERS - 1)
    denied = next(r for r in responses if r.status_code == 402).json()
    assert (denied["error"], denied["limit"], denied["used"]) == ("quota_exceeded", 3, 3)
    assert denied["upgrade_url"].endswith("/pricing")
    quota = repo.get_quota(user.id)
    assert (quota.used, quota.total_downloads) == (3, 3)

    link = next(r for r in responses if r.status_code == 303).headers["location"]
    file = httpx.get(link if link.startswith("http") else f"{target.url}{link}", timeout=30)
    assert file.status_code == 200
    assert file.content.startswith(b"MThd")
