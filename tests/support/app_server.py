"""Builds and serves the KeyCraft app in production mode for browser tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from keycraft.services.repository.dynamodb.repository import DynamoDbRepository
from keycraft.services.repository.port import Repository
from keycraft.services.repository.sql.base import make_engine
from keycraft.services.repository.sql.repository import SqlModelRepository
from tests.support.dynamodb_local import local_client
from tests.support.processes import REPO_ROOT, ServerProcess, free_port, http_ok

VENV_BIN = Path(sys.executable).parent


@lru_cache(maxsize=1)
def npm_registry() -> str:
    """The registry npm is configured with; naming it skips Reflex's mirror probe."""
    found = subprocess.run(["npm", "config", "get", "registry"], capture_output=True, text=True)
    return found.stdout.strip()


def reflex_env() -> dict[str, str]:
    """The environment Reflex needs to build offline (bun from npm, no version probe)."""
    return {
        "REFLEX_BUN_PATH": str(REPO_ROOT / "tools/node_modules/bun/bin/bun.exe"),
        "REFLEX_DIR": str(REPO_ROOT / ".tools/reflex"),
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "NPM_CONFIG_REGISTRY": npm_registry(),
        "BUN_INSTALL_CACHE_DIR": str(REPO_ROOT / ".tools/bun-cache"),
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }


@dataclass
class RunningApp:
    """A served app: its base URL and the process serving it."""

    url: str
    server: ServerProcess
    data_dir: Path
    env: dict[str, str]
    worker: ServerProcess | None = None
    """The transcription queue worker (``python -m keycraft.worker``), when started."""
    args: tuple[str, ...] = ()
    """The command serving the app (to start it again on the same port)."""
    ready_paths: tuple[str, ...] = ()

    def start_worker(self) -> ServerProcess:
        """Start (or start again) the queue worker on the app's settings."""
        args = [sys.executable, "-m", "keycraft.worker"]
        log = self.data_dir / f"worker-{free_port()}.log"
        self.worker = ServerProcess(args, log=log, env=self.env)
        return self.worker

    def kill_server(self) -> None:
        """End the app's process group at once, as a crash would (the worker keeps running)."""
        os.killpg(self.server.process.pid, signal.SIGKILL)
        self.server.process.wait(10)
        self.server.stop()

    def restart_server(self) -> None:
        """Serve the app again with the same command, settings and port; wait until ready."""
        assert self.args, "this app was not started by serve()"
        port = self.url.rsplit(":", 1)[1]
        log = self.data_dir / f"server-{port}-again-{free_port()}.log"
        self.server = ServerProcess(list(self.args), log=log, env=self.env)
        self.server.wait_ready(
            lambda: all(http_ok(f"{self.url}{path}") for path in self.ready_paths), 300, "KeyCraft"
        )

    def stop(self) -> None:
        """Stop the queue worker, then the app."""
        if self.worker is not None:
            self.worker.stop()
        self.server.stop()

    @cached_property
    def _repository(self) -> Repository:
        if self.env.get("REPOSITORY") == "dynamodb":
            client = local_client(self.env["DYNAMODB_ENDPOINT_URL"])
            return DynamoDbRepository(client, self.env["DYNAMODB_TABLE"])
        return SqlModelRepository(make_engine(self.env["DATABASE_URL"]))

    def repository(self) -> Repository:
        """A repository on the same store the app uses, for seeding and checking data."""
        return self._repository


def migrated_env(data_dir: Path, app_url: str, settings_env: dict[str, str]) -> dict[str, str]:
    """Settings for a served app with its store in ``data_dir``, migrated and ready."""
    env = {
        "DATABASE_URL": f"sqlite:///{data_dir / 'keycraft.db'}",
        "MEDIA_DIR": str(data_dir / "media"),
        "APP_URL": app_url,
        "TRANSCRIBER_URL": f"http://127.0.0.1:{free_port()}",
        "JOB_QUEUE_PATH": str(data_dir / "jobs-queue.db"),
        **settings_env,
    }
    subprocess.run(
        [sys.executable, "-m", "keycraft.manage", "migrate"],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return env


def serve(
    args: list[str], data_dir: Path, env: dict[str, str], port: int, ready_paths: tuple[str, ...]
) -> RunningApp:
    """Start ``args`` in its own process group and wait until every ready path answers 200."""
    log = data_dir / f"server-{port}.log"
    server = ServerProcess(args, log=log, env=env)
    url = f"http://127.0.0.1:{port}"
    server.wait_ready(lambda: all(http_ok(f"{url}{path}") for path in ready_paths), 300, "KeyCraft")
    return RunningApp(
        url=url,
        server=server,
        data_dir=data_dir,
        env=env,
        args=tuple(args),
        ready_paths=ready_paths,
    )


def start_app(data_dir: Path, settings_env: dict[str, str] | None = None) -> RunningApp:
    """Migrate a fresh database in ``data_dir``, then build and serve the app on a free port."""
    port = free_port()
    env = {
        **reflex_env(),
        **migrated_env(data_dir, f"http://localhost:{port}", settings_env or {}),
    }
    args = [str(VENV_BIN / "reflex"), "run", "--env", "prod", "--single-port"]
    args += ["--frontend-port", str(port), "--backend-port", str(port)]
    running = serve(args, data_dir, env, port, ("/api/health", "/"))
    running.start_worker()
    return running
