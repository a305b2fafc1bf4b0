"""Serves only KeyCraft's Starlette API (no frontend build) with given settings, over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.app_server import VENV_BIN, RunningApp
from tests.support.processes import REPO_ROOT, ServerProcess, free_port, http_ok, wait_until


def start_api(data_dir: Path, env: dict[str, str]) -> RunningApp:
    """Migrate the configured store, then serve ``keycraft.api:build_api`` on a free port.

    The same routes the full app mounts, so HTTP tests can run against other backends
    (e.g. DynamoDB Local) without a second frontend build.
    """
    port = free_port()
    full_env = {
        "DATABASE_URL": f"sqlite:///{data_dir / 'keycraft.db'}",
        "MEDIA_DIR": str(data_dir / "media"),
        "APP_URL": f"http://127.0.0.1:{port}",
        "TRANSCRIBER_URL": f"http://127.0.0.1:{free_port()}",
        **env,
    }
    subprocess.run(
        [sys.executable, "-m", "keycraft.manage", "migrate"],
        cwd=REPO_ROOT,
        env={**os.environ, **full_env},
        check=True,
        capture_output=True,
    )
    log = data_dir / "api.log"
    server = ServerProcess(
        [
            str(VENV_BIN / "granian"),
            "--interface",
            "asgi",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "keycraft.api:build_api",
        ],
        log=log,
        env=full_env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: http_ok(f"{url}/api/health"), 60, "KeyCraft API", log)
    except BaseException:
        server.stop()
        raise
    return RunningApp(url=url, server=server, data_dir=data_dir, env=full_env)
