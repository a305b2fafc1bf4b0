"""The transcription JSON API over HTTP against the served API and a real queue worker."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from keycraft.services.auth.sessions import SESSION_COOKIE
from tests.integration.auth_client import client_with_project, page_client
from tests.support.api_server import start_api
from tests.support.app_server import RunningApp
from tests.support.auth_services import SmtpSink
from tests.support.recordings import melody, render_wav, tone_wav
from tests.support.transcriber_server import RealTranscriber

MAX_ACTIVE = 2
TRIAD = melody([60, 64, 67], first_onset_s=0.2, step_s=0.4)


@pytest.fixture(scope="module")
def api(
    tmp_path_factory: pytest.TempPathFactory,
    transcriber_process: RealTranscriber,
    smtp_sink: SmtpSink,
) -> Iterator[RunningApp]:
    """The API alone on its own store and queue; its worker starts when a test needs it.

    Every ended job is worth an email here (no minute to wait), delivered to the SMTP sink.
    """
    running = start_api(
        tmp_path_factory.mktemp("transcriptions-api"),
        {
            "TRANSCRIBER_URL": transcriber_process.url,
            "TRANSCRIBER_SECRET": transcriber_process.secret,
            "MAX_ACTIVE_JOBS_PER_USER": str(MAX_ACTIVE),
            "JOB_EMAIL_AFTER_S": "0",
            **smtp_sink.settings(),
        },
    )
    try:
        yield running
    finally:
        running.stop()


def _start(
    client: httpx.Client,
    project_id: str,
    audio: bytes,
    name: str = "take.wav",
    mime: str = "audio/wav",
    **fields: str,
) -> httpx.Response:
    return client.post(
        f"/api/projects/{project_id}/transcriptions",
        files={"audio": (name, audio, mime)},
        data=fields,
    )


def _staged(api: RunningApp) -> list[Path]:
    return [p for p in (Path(api.env["MEDIA_DIR"]) / "tmp").rglob("*") if p.is_file()]


def test_a_job_is_queued_followed_and_cancelled(api: RunningApp) -> None:
    client, project = client_with_project(api)
    started = _start(client, project.id, tone_wav(1.0))
    assert started.status_code == 202, started.text
    job: dict[str, Any] = started.json()
    assert started.headers["location"] == f"/api/transcriptions/{job['id']}"
    assert (job["status"], job["project_id"], job["model"]) == ("queued", project.id, "transkun")
    # No worker runs yet: the job waits first in the one queue.
    followed = client.get(job["url"])
    assert followed.status_code == 200
    assert followed.json()["position"] == 1
    assert followed.json()["note_count"] == 0 and "notes" not in followed.json()
    assert followed.headers["cache-control"] == "no-store"

    cancelled = client.delete(job["url"])
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["position"]) == ("cancelled", 0)
    assert client.get(job["url"]).json()["status"] == "cancelled"
    assert _staged(api) == []  # the recording of a cancelled job is not kept
    again = client.delete(job["url"])  # an ended job stays as it ended
    assert (again.status_code, again.json()["status"]) == (200, "cancelled")


def test_requests_are_refused_like_the_rest_of_the_api(api: RunningApp) -> None:
    client, project = client_with_project(api)
    other, others_project = client_with_project(api)
    wav = tone_wav(0.5)

    anonymous = page_client(api)
    assert _start(anonymous, project.id, wav).status_code == 401
    assert anonymous.get("/api/transcriptions/x").status_code == 401
    assert anonymous.delete("/api/transcriptions/x").status_code == 401
    foreign = client.post(
        f"/api/projects/{project.id}/transcriptions",
        files={"audio": ("take.wav", wav, "audio/wav")},
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    assert (
        client.delete(
            "/api/transcriptions/x", headers={"Origin": "https://evil.example"}
        ).status_code
        == 403
    )

    assert _start(client, others_project.id, wav).json()["error"] == "not_found"
    assert _start(client, "no-such-project", wav).status_code == 404
    assert (
        _start(client, project.id, b"hello", name="notes.txt", mime="text/plain").status_code == 415
    )
    assert (
        _start(client, project.id, b"hello", name="notes.txt", mime="audio/wav").status_code == 415
    )
    assert _start(client, project.id, wav, model="mystery").status_code == 422
    assert _staged(api) == []

    # Another user's job is not found, to read or to cancel.
    theirs = _start(other, others_project.id, wav).json()
    assert client.get(theirs["url"]).status_code == 404
    assert client.delete(theirs["url"]).status_code == 404
    assert other.get(theirs["url"]).json()["status"] == "queued"

    # The per-user limit of active jobs.
    jobs = [_start(client, project.id, wav) for _ in range(MAX_ACTIVE)]
    assert [j.status_code for j in jobs] == [202] * MAX_ACTIVE
    refused = _start(client, project.id, wav)
    assert (refused.status_code, refused.json()["error"]) == (429, "too_many_jobs")
    for job in jobs:
        assert client.delete(job.json()["url"]).json()["status"] == "cancelled"
    assert other.delete(theirs["url"]).json()["status"] == "cancelled"
    assert _staged(api) == []


def test_an_oversized_upload_is_refused_before_its_body_is_read(api: RunningApp) -> None:
    client, project = client_with_project(api)
    parts = urlsplit(api.url)
    cookie = f"{SESSION_COOKIE}={client.cookies.get(SESSION_COOKIE)}"
    head = (
        f"POST /api/projects/{project.id}/transcriptions HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\nOrigin: {api.url}\r\nCookie: {cookie}\r\n"
        "Content-Type: multipart/form-data; boundary=kc\r\n"
        f"Content-Length: {200 * 1024 * 1024}\r\n\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        sock.sendall(head.encode() + b"--kc\r\n")
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer
    assert '"audio_too_large"' in answer


def test_a_job_runs_to_its_notes_and_its_owner_gets_an_email(
    api: RunningApp, transcriber: RealTranscriber, smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    client, project = client_with_project(api)
    api.start_worker()
    job = _start(client, project.id, render_wav(TRIAD, tmp_path), model="basic-pitch").json()
    deadline = time.monotonic() + 120
    seen = []
    while time.monotonic() < deadline:
        body = client.get(job["url"]).json()
        seen.append(body["status"])
        if body["status"] not in ("queued", "running"):
            break
        time.sleep(0.2)
    assert body["status"] == "done", (body, seen)
    stored = api.repository().get_project(project.user_id, project.id)
    assert stored is not None and stored.notes
    assert body["note_count"] == len(stored.notes) == len(body["notes"])
    assert {n["pitch_midi"] for n in body["notes"]} >= {60, 64, 67}
    assert body["pedals"] == [] and stored.pedals == ()  # the fast model hears no pedal
    assert (body["progress_percent"], body["position"]) == (100, 0)
    assert body["progress_done"] == body["progress_total"] > 0  # the fast model's batches
    assert body["estimate_s"] == 0.0 and body["elapsed_s"] > 0
    assert stored.source_audio_key == f"users/{project.user_id}/projects/{project.id}/source.wav"
    assert _staged(api) == []

    # The owner hears of it by email, with a link to the project.
    owner = api.repository().get_user(project.user_id)
    assert owner is not None
    deadline = time.monotonic() + 20
    while not smtp_sink.messages_to(owner.email) and time.monotonic() < deadline:
        time.sleep(0.1)
    (message,) = smtp_sink.messages_to(owner.email)
    assert (
        str(make_header(decode_header(message["Subject"])))
        == "Your transcription of “Etude” is ready"
    )
    text = message.get_payload(decode=True)
    assert isinstance(text, bytes)
    assert f"{api.env['APP_URL']}/editor/{project.id}" in text.decode()
    assert f"{body['note_count']} notes" in text.decode()
