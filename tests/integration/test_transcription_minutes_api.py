"""The JSON API refuses a recording longer than the month's transcription minutes left (429)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.auth_client import client_with_project
from tests.support.api_server import start_api
from tests.support.app_server import RunningApp
from tests.support.recordings import tone_wav

FREE_MINUTES = 1
PLANS = [
    {
        "key": "free",
        "name": "Free",
        "monthly_downloads": 3,
        "monthly_transcription_minutes": FREE_MINUTES,
    }
]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """The API with a one-minute Free allowance; no worker runs, so jobs stay queued."""
    running = start_api(
        tmp_path_factory.mktemp("minutes-api"),
        {"PLANS": json.dumps(PLANS), "MAX_ACTIVE_JOBS_PER_USER": "5"},
    )
    try:
        yield running
    finally:
        running.stop()


def _start(client: httpx.Client, project_id: str, seconds: float) -> httpx.Response:
    return client.post(
        f"/api/projects/{project_id}/transcriptions",
        files={"audio": ("take.wav", tone_wav(seconds), "audio/wav")},
    )


def _staged(api: RunningApp) -> list[Path]:
    return [p for p in (Path(api.env["MEDIA_DIR"]) / "tmp").rglob("*") if p.is_file()]


def test_a_recording_past_the_minutes_left_is_refused_and_a_cancel_gives_them_back(
    api: RunningApp,
) -> None:
    client, project = client_with_project(api)
    first = _start(client, project.id, 45.0)
    assert first.status_code == 202, first.text
    staged_before = _staged(api)

    refused = _start(client, project.id, 20.0)
    assert refused.status_code == 429
    body = refused.json()
    assert body["error"] == "minutes_spent"
    assert (body["used_s"], body["allowance_s"], body["needed_s"]) == (45, 60, 20)
    assert body["upgrade_url"] == "/pricing"
    assert refused.headers["cache-control"] == "no-store"
    # Nothing was queued for it and nothing of it was stored.
    jobs = api.repository().list_user_transcription_jobs(project.user_id)
    assert [j.id for j in jobs] == [first.json()["id"]]
    assert _staged(api) == staged_before

    # The cancelled job's seconds come back: the same recording now fits.
    assert client.delete(first.json()["url"]).json()["status"] == "cancelled"
    assert _start(client, project.id, 20.0).status_code == 202
