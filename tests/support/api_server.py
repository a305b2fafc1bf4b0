"""Serves only KeyCraft's Starlette API (no frontend build) with given settings, over HTTP."""

from __future__ import annotations

from pathlib import Path

from tests.support.app_server import VENV_BIN, RunningApp, migrated_env, serve
from tests.support.processes import free_port


def start_api(data_dir: Path, env: dict[str, str]) -> RunningApp:
    """Migrate the configured store, then serve ``keycraft.api:build_api`` on a free port.

    The same routes the full app mounts, so HTTP tests can run against other backends
    (e.g. DynamoDB Local) without a second frontend build.
    """
    port = free_port()
    full_env = migrated_env(data_dir, f"http://127.0.0.1:{port}", env)
    args = [str(VENV_BIN / "granian"), "--interface", "asgi", "--factory"]
    args += ["--host", "127.0.0.1", "--port", str(port), "keycraft.api:build_api"]
    return serve(args, data_dir, full_env, port, ("/api/health",))
