"""``python -m keycraft.manage staff grant|revoke|list`` on each real store."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from keycraft.config import PROJECT_ROOT
from keycraft.services.audit import COMMAND_LINE_ACTOR
from keycraft.services.repository.dynamodb.repository import DynamoDbRepository
from keycraft.services.repository.port import Repository
from keycraft.services.repository.sql.base import make_engine
from keycraft.services.repository.sql.repository import SqlModelRepository
from tests.support.dynamodb_local import local_client
from tests.support.factories import make_user


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "keycraft.manage", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[dict[str, str], Repository]:
    """Settings for the command and a repository on the same, migrated store."""
    if request.param == "sqlite":
        env = {"REPOSITORY": "sqlmodel", "DATABASE_URL": f"sqlite:///{tmp_path / 'kc.db'}"}
    else:
        endpoint = request.getfixturevalue("dynamodb_endpoint")
        env = {
            "REPOSITORY": "dynamodb",
            "DYNAMODB_ENDPOINT_URL": endpoint,
            "DYNAMODB_TABLE": f"manage-{uuid.uuid4().hex[:10]}",
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    assert _manage(env, "migrate").returncode == 0
    if request.param == "sqlite":
        return env, SqlModelRepository(make_engine(env["DATABASE_URL"]))
    client = local_client(env["DYNAMODB_ENDPOINT_URL"])
    return env, DynamoDbRepository(client, env["DYNAMODB_TABLE"])


def test_staff_are_granted_listed_and_revoked_from_the_command_line(
    store: tuple[dict[str, str], Repository],
) -> None:
    env, repo = store
    user = repo.create_user(make_user("lee@example.com"))
    assert _manage(env, "staff", "list").stdout.strip() == "no staff yet"
    granted = _manage(env, "staff", "grant", "Lee@Example.com")
    assert granted.returncode == 0, granted.stderr
    assert granted.stdout.strip() == "lee@example.com is staff"
    assert repo.get_user(user.id).role == "staff"  # type: ignore[union-attr]
    assert _manage(env, "staff", "list").stdout.strip() == "lee@example.com"
    assert _manage(env, "staff", "revoke", "lee@example.com").returncode == 0
    assert repo.get_user(user.id).role == "user"  # type: ignore[union-attr]
    assert [(e.actor, e.action, e.target) for e in repo.list_audit_entries(5)] == [
        (COMMAND_LINE_ACTOR, "staff.revoke", "lee@example.com"),
        (COMMAND_LINE_ACTOR, "staff.grant", "lee@example.com"),
    ]
    missing = _manage(env, "staff", "grant", "nobody@example.com")
    assert missing.returncode == 1 and "must sign up first" in missing.stderr
    assert _manage(env, "staff", "grant").returncode == 2
