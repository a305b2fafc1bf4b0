"""One id follows a transcription job through the app's logs and the real transcriber's logs."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from keycraft.services.logs import JsonFormatter, request_id_var
from keycraft.services.transcription.client import TranscriberClient, TranscriptionOptions
from keycraft.services.transcription.job_tracking import (
    JOB_FINISHED_MESSAGE,
    JOB_STARTED_MESSAGE,
    run_transcription,
)
from tests.support.recordings import tone_wav
from tests.support.transcriber_server import json_log_lines, start_transcriber

SECRET = uuid.uuid4().hex


@pytest.fixture(scope="module")
def transcriber(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The real service, its URL and the file its log lines go to."""
    workdir = tmp_path_factory.mktemp("transcriber")
    server, url = start_transcriber(workdir, SECRET)
    try:
        yield url, server.log
    finally:
        server.stop()


@pytest.fixture
def app_log() -> Iterator[io.StringIO]:
    """The app's ``keycraft`` log lines as JSON, the way production writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("keycraft")
    previous_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


def _app_job_lines(stream: io.StringIO) -> list[dict[str, object]]:
    entries = [json.loads(line) for line in stream.getvalue().splitlines() if line]
    return [e for e in entries if e["logger"] == "keycraft.transcription"]


def _transcribe(url: str) -> None:
    client = TranscriberClient(url, SECRET, timeout_s=60)
    audio = tone_wav(1.2)
    result = asyncio.run(
        run_transcription(client, audio, "melody.wav", "audio/wav", TranscriptionOptions())
    )
    assert result.model == "basic-pitch"


def _transcriber_lines(log: Path, request_id: object) -> list[dict[str, object]]:
    return [e for e in json_log_lines(log) if e.get("request_id") == request_id]


def test_a_background_job_gets_one_id_that_both_services_log(
    transcriber: tuple[str, Path], app_log: io.StringIO
) -> None:
    url, log = transcriber
    _transcribe(url)
    started, finished = _app_job_lines(app_log)
    assert (started["message"], finished["message"]) == (JOB_STARTED_MESSAGE, JOB_FINISHED_MESSAGE)
    job_id = started["request_id"]
    assert isinstance(job_id, str) and re.fullmatch(r"[0-9a-f]{32}", job_id)
    assert finished["request_id"] == job_id and finished["outcome"] == "ok"
    theirs = _transcriber_lines(log, job_id)
    assert [e["event"] for e in theirs] == ["transcription", "request"]
    assert theirs[0]["outcome"] == "ok"
    assert (theirs[1]["path"], theirs[1]["status"]) == ("/transcribe", 200)
    # Outside the job the id is gone again: the next job gets its own.
    assert request_id_var.get() is None
    _transcribe(url)
    second_id = _app_job_lines(app_log)[2]["request_id"]
    assert second_id != job_id and len(_transcriber_lines(log, second_id)) == 2


def test_inside_a_request_the_job_keeps_that_request_id(
    transcriber: tuple[str, Path], app_log: io.StringIO
) -> None:
    url, log = transcriber
    request_id = f"edge-{uuid.uuid4().hex[:12]}"
    token = request_id_var.set(request_id)
    try:
        _transcribe(url)
    finally:
        request_id_var.reset(token)
    assert {e["request_id"] for e in _app_job_lines(app_log)} == {request_id}
    assert [e["event"] for e in _transcriber_lines(log, request_id)] == ["transcription", "request"]
