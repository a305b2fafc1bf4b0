"""The real transcription service, served by gunicorn as `make run` serves it, for tests.

`launch_transcriber` serves both models for the whole run (the app and the transcription
journeys use it); `start_transcriber` serves Basic Pitch alone for a test that owns it.
Loading both models (transkun is the slow one) takes 10–40 s, so the process is started
early and only the tests that send audio wait for ``/ready``: the app's build overlaps it.
Its duration limit is lowered so tests reach the over-long error with a small file;
everything else is the service's production configuration.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.app_server import VENV_BIN
from tests.support.processes import REPO_ROOT, ServerProcess, free_port, http_ok

SECRET = "test-transcriber-secret"
MAX_DURATION_S = 90.0
"""Longest recording the test service accepts (production: 1800 s)."""
READY_TIMEOUT_S = 240.0
IDLE_PROBE_TIMEOUT_S = 5.0


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
        """Whether a transcription would be accepted now rather than refused as busy.

        The service checks the secret, then takes its one work slot, then validates the
        form: an empty form is therefore refused with 400 when idle and 429 when busy.
        """
        response = httpx.post(
            f"{self.url}/transcribe",
            headers={"X-Transcription-Secret": self.secret},
            timeout=IDLE_PROBE_TIMEOUT_S,
        )
        return response.status_code != 429

    def wait_idle(self, timeout_s: float = 480.0) -> None:
        """Wait until the current transcription (e.g. one whose caller left) has finished."""
        deadline = time.monotonic() + timeout_s
        while not self.is_idle():
            if time.monotonic() > deadline:
                raise AssertionError("the transcriber stayed busy")
            time.sleep(0.25)

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
