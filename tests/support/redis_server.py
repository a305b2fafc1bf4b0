"""Debian's ``redis-server`` on a free loopback port, in memory only."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.processes import ServerProcess, free_port, port_open


def start_redis(workdir: Path) -> tuple[ServerProcess, str]:
    """Start a throwaway Redis (no persistence); return the process and its ``redis://`` URL."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    server = ServerProcess(
        [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
            "--protected-mode",
            "yes",
        ],
        log=workdir / "redis.log",
        cwd=workdir,
    )
    server.wait_ready(lambda: port_open(port), 30, "redis-server")
    return server, f"redis://127.0.0.1:{port}/0"
