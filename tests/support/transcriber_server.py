"""The real transcription service, served by gunicorn as `make run` serves it, for tests.

`launch_transcriber` serves both models for the whole run (the app and the transcription
journeys use it); `start_transcriber` serves Basic Pitch alone for a test that owns it.
Loading both models (transkun is the slow one) takes 10–40 s, so the process is started
early and only the tests that send audio wait for ``/ready``: the app's build overlaps it.
Its duration limit is lowered so tests reach the over-long error with a small file;
everything else is the service's production configuration.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from keycraft.services.transcription.client import MODEL_KNOBS, TranscriberModel, options_for
from tests.support.app_server import VENV_BIN
from tests.support.processes import REPO_ROOT, ServerProcess, free_port, http_ok
from transcriber.domain import NoteEvent

SECRET = "test-transcriber-secret"
MAX_DURATION_S = 90.0
"""Longest recording the test service accepts (production: 1800 s)."""
READY_TIMEOUT_S = 240.0
IDLE_PROBE_TIMEOUT_S = 5.0
HUNG_UP_IDLE_WITHIN_S = 15.0
"""How soon the service is free once a caller hangs up (tests assert tighter bounds)."""
BUSY_WITHIN_S = 30.0
"""How long a request sent now may take to reach the service and take its slot."""


@dataclass
class RealTranscriber:
    """A running transcriber: its URL, secret, process and structured request log."""

    url: str
    secret: str
    server: ServerProcess

    def wait_ready(self) -> None:
        """Block until both models are loaded and warmed (``GET /ready`` answers 200)."""
        self.server.wait_ready(lambda: http_ok(f"{self.url}/ready"), READY_TIMEOUT_S, "transcriber")

    def is_idle(self) -> bool:
        """Whether the service's one transcription slot is free now (``GET /health``).

        Reading the slot never takes it, so polling cannot turn a real caller away. A
        synchronous worker answers only once it is free, so there this also waits for that.
        """
        response = httpx.get(f"{self.url}/health", timeout=IDLE_PROBE_TIMEOUT_S)
        response.raise_for_status()
        return not response.json()["busy"]

    def wait_idle(self, timeout_s: float = 480.0) -> None:
        """Wait until the current transcription (e.g. one whose caller left) has finished."""
        self._wait_for(self.is_idle, timeout_s, "the transcriber stayed busy")

    def wait_busy(self, timeout_s: float = BUSY_WITHIN_S) -> None:
        """Wait until a transcription holds the slot (its request has reached the service)."""
        self._wait_for(lambda: not self.is_idle(), timeout_s, "the transcriber never got busy")

    @staticmethod
    def _wait_for(condition: Callable[[], bool], timeout_s: float, failure: str) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(failure)
            time.sleep(0.02)

    @contextlib.contextmanager
    def occupied(self, audio: bytes, model: str = "transkun") -> Iterator[None]:
        """Keep the slot taken by someone else's transcription of ``audio`` for the block.

        The caller hangs up on leaving, so the work stops within a few seconds instead of
        running to the end; the service is idle again when the block has exited.
        """
        host, port = urlsplit(self.url).hostname, urlsplit(self.url).port
        assert host is not None and port is not None
        with socket.create_connection((host, port)) as caller:
            caller.sendall(raw_transcribe_request(self.url, self.secret, model, audio))
            self.wait_busy()
            yield
        self.wait_idle(timeout_s=HUNG_UP_IDLE_WITHIN_S)

    def request_log(self) -> list[dict[str, Any]]:
        """The service's one-JSON-object-per-request log lines seen so far."""
        return json_log_lines(self.server.log)

    def transcriptions(self) -> list[dict[str, Any]]:
        """Log entries of ``POST /transcribe`` requests that carried a body, oldest first."""
        return [
            e for e in self.request_log() if e.get("path") == "/transcribe" and e.get("bytes_in")
        ]

    def stop(self) -> None:
        """Stop gunicorn and its worker."""
        self.server.stop()


def launch_transcriber(log: Path) -> RealTranscriber:
    """Start gunicorn with the service's own config on a free port; do not wait for it."""
    port = free_port()
    env = {
        "TRANSCRIBER_HOST": "127.0.0.1",
        "TRANSCRIBER_PORT": str(port),
        "TRANSCRIBER_SECRET": SECRET,
        "TRANSCRIBER_MAX_DURATION_S": f"{MAX_DURATION_S:g}",
        "PYTHONUNBUFFERED": "1",
    }
    # gunicorn's control socket defaults to one path per user: parallel runs would share it.
    args = [
        str(VENV_BIN / "gunicorn"),
        "-c",
        "transcriber/gunicorn.conf.py",
        "--no-control-socket",
        "transcriber:create_app()",
    ]
    server = ServerProcess(args, log, env)
    return RealTranscriber(url=f"http://127.0.0.1:{port}", secret=SECRET, server=server)


def start_transcriber(
    workdir: Path, secret: str, extra_env: Mapping[str, str] | None = None
) -> tuple[ServerProcess, str]:
    """Start the service as deployed (gunicorn config of the repo); return it and its URL.

    Its stdout, where it writes its JSON log lines, goes to ``workdir/transcriber.log``.
    ``extra_env`` adds ``TRANSCRIBER_*`` settings (e.g. a metrics token).
    """
    port = free_port()
    (workdir / "tmp").mkdir(exist_ok=True)
    env = {
        "TRANSCRIBER_PORT": str(port),
        "TRANSCRIBER_SECRET": secret,
        "TRANSCRIBER_MODELS": "basic-pitch",
        "TRANSCRIBER_WARM_UP": "false",
        "TRANSCRIBER_THREADS": "1",
        "TRANSCRIBER_TMP_DIR": str(workdir / "tmp"),
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    server = ServerProcess(
        [
            str(VENV_BIN / "gunicorn"),
            "-c",
            "transcriber/gunicorn.conf.py",
            "--no-control-socket",
            "transcriber:create_app()",
        ],
        log=workdir / "transcriber.log",
        env=env,
        cwd=REPO_ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    server.wait_ready(lambda: http_ok(f"{url}/ready"), 120, "transcriber")
    return server, url


def notes_in_one_request(
    url: str,
    secret: str,
    model: TranscriberModel,
    audio: tuple[str, bytes, str],
    tempo_bpm: float | None = None,
) -> list[NoteEvent]:
    """The notes one ``POST /transcribe`` gives for ``audio`` (name, bytes, content type).

    Sent with the options a job sends for ``model``: the reference a chunked job is held to.
    """
    knobs = MODEL_KNOBS[model]
    options = options_for(
        model, knobs.onset_threshold, knobs.frame_threshold, knobs.min_note_ms, tempo_bpm
    )
    response = httpx.post(
        f"{url}/transcribe?format=json",
        headers={"X-Transcription-Secret": secret},
        data=options.form_fields(),
        files={"audio": audio},
        timeout=900,
    )
    response.raise_for_status()
    return [
        NoteEvent(n["start_s"], n["end_s"], n["pitch_midi"], n["velocity"])
        for n in response.json()["notes"]
    ]


def raw_transcribe_request(
    url: str, secret: str, model: str, audio: bytes, request_id: str | None = None
) -> bytes:
    """The bytes of one ``POST /transcribe`` as an HTTP/1.1 client sends them on a socket."""
    headers = {"X-Transcription-Secret": secret}
    if request_id:
        headers["X-Request-ID"] = request_id
    request = httpx.Request(
        "POST",
        f"{url}/transcribe?format=json",
        headers=headers,
        data={"model": model},
        files={"audio": ("long.wav", audio, "audio/wav")},
    )
    body = request.read()
    head = [f"POST {request.url.raw_path.decode()} HTTP/1.1"]
    head += [f"{name}: {value}" for name, value in request.headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def json_log_lines(log: Path) -> list[dict[str, object]]:
    """The JSON objects among a server log's lines (gunicorn's own lines are plain text)."""
    entries = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                entries.append(json.loads(line))
            except ValueError:
                continue  # a line still being written
    return entries
