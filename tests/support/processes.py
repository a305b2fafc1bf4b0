"""Start and stop real server processes on 127.0.0.1 for tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], bool], timeout_s: float, what: str, log: Path | None) -> None:
    """Poll ``check`` until it is true; on timeout fail with the server's log tail."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise RuntimeError(f"{what} did not come up within {timeout_s:.0f}s\n{tail}")


def port_open(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:``port``."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def http_ok(url: str) -> bool:
    """Whether ``url`` answers 200."""
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


class ServerProcess:
    """A child process in its own process group, with its output in a log file."""

    def __init__(
        self, args: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path = REPO_ROOT
    ) -> None:
        self.log = log
        self._handle = log.open("wb")
        self.process = subprocess.Popen(
            args,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=self._handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own group: stopping it stops bun/node children too
        )

    def wait_ready(self, check: Callable[[], bool], timeout_s: float, what: str) -> None:
        """Wait until ``check`` passes; if it never does, stop the server and fail with its log."""
        try:
            wait_until(check, timeout_s, what, self.log)
        except BaseException:
            self.stop()
            raise

    def stop(self, timeout_s: float = 15) -> None:
        """Terminate the whole process group, then kill it if it lingers."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
            except ProcessLookupError:
                pass
        self._handle.close()
