"""The real server entry points refuse to serve the public with development defaults."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.app_server import VENV_BIN, reflex_env
from tests.support.processes import REPO_ROOT, free_port, port_open


def _run(args: list[str], tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    inherited = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "KEYCRAFT_ENV")}
    env = {
        **inherited,
        **reflex_env(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
        "MEDIA_DIR": str(tmp_path / "media"),
        **settings,
    }
    return subprocess.run(
        args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _reflex_prod(port: int) -> list[str]:
    args = [str(VENV_BIN / "reflex"), "run", "--env", "prod", "--single-port"]
    return [*args, "--frontend-port", str(port), "--backend-port", str(port)]


def _granian_api(port: int) -> list[str]:
    args = [str(VENV_BIN / "granian"), "--interface", "asgi", "--factory"]
    return [*args, "--host", "127.0.0.1", "--port", str(port), "keycraft.api:build_api"]


@pytest.mark.parametrize("command", [_reflex_prod, _granian_api], ids=["reflex", "granian"])
def test_prod_with_the_default_secret_refuses_to_start(
    command: Callable[[int], list[str]], tmp_path: Path
) -> None:
    port = free_port()
    done = _run(command(port), tmp_path, KEYCRAFT_ENV="prod", APP_URL="https://keycraft.org")
    assert done.returncode != 0
    assert "KeyCraft refuses to start: SECRET_KEY is the development default" in (
        done.stdout + done.stderr
    )
    assert not port_open(port)


def test_dev_mode_on_a_public_url_refuses_to_start(tmp_path: Path) -> None:
    port = free_port()
    secret = "s" * 40
    done = _run(_granian_api(port), tmp_path, APP_URL="https://keycraft.org", SECRET_KEY=secret)
    assert done.returncode != 0
    assert "KEYCRAFT_ENV is dev but APP_URL (https://keycraft.org) is not localhost" in (
        done.stdout + done.stderr
    )
