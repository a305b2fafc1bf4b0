"""The real transcription service under gunicorn on a free loopback port (Basic Pitch only)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.app_server import VENV_BIN
from tests.support.processes import REPO_ROOT, ServerProcess, free_port, http_ok


def start_transcriber(workdir: Path, secret: str) -> tuple[ServerProcess, str]:
    """Start the service as deployed (gunicorn config of the repo); return it and its URL.

    Its stdout, where it writes its JSON log lines, goes to ``workdir/transcriber.log``.
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
    }
    server = ServerProcess(
        [
            str(VENV_BIN / "gunicorn"),
            "-c",
            "transcriber/gunicorn.conf.py",
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
            entries.append(json.loads(line))
    return entries
