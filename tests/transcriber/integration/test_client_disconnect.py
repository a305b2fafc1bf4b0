"""A caller that hangs up frees the service: the real service under gunicorn, over real sockets."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.recordings import tone_wav
from tests.support.transcriber_server import (
    RealTranscriber,
    raw_transcribe_request,
    start_transcriber,
)

SECRET = uuid.uuid4().hex
METRICS_TOKEN = uuid.uuid4().hex
LONG_TONE_S = 150.0
"""Long enough that either model is still busy well after the caller leaves."""
UPLOAD_SAVED_WITHIN_S = 30.0
IDLE_WITHIN_S = {"basic-pitch": 5.0, "transkun": 10.0}
"""How soon the slot must be free again: a batch of Basic Pitch windows, or one transkun
encoder layer (one or two seconds on two cores, more on a loaded machine)."""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealTranscriber]:
    """The service as deployed (both models, not warmed), with its metrics readable by token."""
    workdir = tmp_path_factory.mktemp("transcriber-disconnect")
    extra_env = {
        "TRANSCRIBER_MODELS": "basic-pitch,transkun",
        "TRANSCRIBER_METRICS_TOKEN": METRICS_TOKEN,
    }
    server, url = start_transcriber(workdir, SECRET, extra_env)
    try:
        yield RealTranscriber(url=url, secret=SECRET, server=server)
    finally:
        server.stop()


def _metric(url: str, name: str, **labels: str) -> float:
    text = httpx.get(
        f"{url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10
    ).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items())
    )


def _wait_for_saved_upload(tmp_dir: Path, size: int) -> None:
    """Wait until the service has saved a whole upload of ``size`` bytes and so transcribes it."""
    deadline = time.monotonic() + UPLOAD_SAVED_WITHIN_S
    while not any(_size(p) == size for p in tmp_dir.glob("transcribe-*/upload")):
        if time.monotonic() > deadline:
            raise AssertionError("the service never saved the upload")
        time.sleep(0.02)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # the request ended and its folder went between glob and stat
        return None


def _entries(service: RealTranscriber, request_id: str) -> list[dict[str, object]]:
    return [e for e in service.request_log() if e.get("request_id") == request_id]


@pytest.mark.parametrize("model", ["basic-pitch", "transkun"])
def test_a_caller_that_hangs_up_frees_the_service_within_seconds(
    service: RealTranscriber, model: str
) -> None:
    request_id = uuid.uuid4().hex
    idle_within_s = IDLE_WITHIN_S[model]
    gone_before = _metric(
        service.url, "transcriber_transcriptions_total", model=model, outcome="client_gone"
    )
    host, port = urlsplit(service.url).hostname, urlsplit(service.url).port
    assert host is not None and port is not None
    caller = socket.create_connection((host, port))
    caller.sendall(
        raw_transcribe_request(service.url, SECRET, model, tone_wav(LONG_TONE_S), request_id)
    )
    _wait_for_saved_upload(service.server.log.parent / "tmp", len(tone_wav(LONG_TONE_S)))
    assert not service.is_idle()  # the work is under way and holds the only slot
    caller.close()
    left_at = time.monotonic()

    service.wait_idle(timeout_s=idle_within_s)
    freed_after_s = time.monotonic() - left_at
    assert freed_after_s < idle_within_s

    deadline = time.monotonic() + idle_within_s
    while len(_entries(service, request_id)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # the request line is written just after the slot is released
    transcription, request = _entries(service, request_id)
    assert transcription["event"] == "transcription"
    assert transcription["outcome"] == "client_gone"
    assert transcription["notes"] is None
    assert request["event"] == "request"
    assert request["status"] == 499
    assert request["error"] == "client_gone"
    assert _metric(
        service.url, "transcriber_transcriptions_total", model=model, outcome="client_gone"
    ) == (gone_before + 1)
    assert _metric(service.url, "transcriber_errors_total", kind="client_gone") >= 1
    # Nothing was written to the closed socket, so gunicorn has no failure to report.
    assert "Traceback" not in Path(service.server.log).read_text(errors="replace")
    # The temp folder of the upload is gone, as after any request.
    tmp_dir = service.server.log.parent / "tmp"
    assert list(tmp_dir.iterdir()) == []


def test_a_caller_that_waits_still_gets_its_notes(service: RealTranscriber) -> None:
    response = httpx.post(
        f"{service.url}/transcribe",
        params={"format": "json"},
        headers={"X-Transcription-Secret": SECRET},
        data={"model": "basic-pitch"},
        files={"audio": ("short.wav", tone_wav(3.0), "audio/wav")},
        timeout=120,
    )
    assert response.status_code == 200
    assert [n["pitch_midi"] for n in response.json()["notes"]] == [69]


def test_the_deployed_sync_worker_is_freed_too(tmp_path: Path) -> None:
    """The image runs one synchronous worker (no busy thread): the next caller waits less."""
    server, url = start_transcriber(tmp_path, SECRET, {"TRANSCRIBER_THREADS_HTTP": "1"})
    try:
        sync_service = RealTranscriber(url=url, secret=SECRET, server=server)
        request_id = uuid.uuid4().hex
        host, port = urlsplit(url).hostname, urlsplit(url).port
        assert host is not None and port is not None
        caller = socket.create_connection((host, port))
        caller.sendall(
            raw_transcribe_request(url, SECRET, "basic-pitch", tone_wav(LONG_TONE_S), request_id)
        )
        # This worker answers nothing else while it works: the saved upload shows it started.
        _wait_for_saved_upload(tmp_path / "tmp", len(tone_wav(LONG_TONE_S)))
        caller.close()
        left_at = time.monotonic()
        # Queued behind the abandoned work, this is answered once the worker is free.
        assert sync_service.is_idle()
        assert time.monotonic() - left_at < IDLE_WITHIN_S["basic-pitch"]
        outcomes = [
            e.get("outcome") for e in _entries(sync_service, request_id) if e["event"] != "request"
        ]
        assert outcomes == ["client_gone"]
        assert "Traceback" not in server.log.read_text(errors="replace")
    finally:
        server.stop()
