"""Builds each repository adapter on a fresh, empty store for every contract test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from keycraft.config import Settings
from keycraft.manage import migrate
from keycraft.services.repository.dynamodb.repository import DynamoDbRepository
from keycraft.services.repository.memory import MemoryRepository
from keycraft.services.repository.port import Repository
from keycraft.services.repository.sql.base import make_engine
from keycraft.services.repository.sql.repository import SqlModelRepository
from tests.support.dynamodb_local import local_client

ADAPTERS = ["sqlite", "dynamodb", "memory"]


def _sqlite(tmp_path: Path) -> Iterator[Repository]:
    url = f"sqlite:///{tmp_path / 'contract.db'}"
    # Built through the real migrations, so the contract also checks them against the code.
    migrate(Settings(REPOSITORY="sqlmodel", DATABASE_URL=url))
    engine = make_engine(url)
    yield SqlModelRepository(engine)
    engine.dispose()


def _dynamodb(endpoint: str) -> Iterator[Repository]:
    client = local_client(endpoint)
    table = f"contract-{uuid.uuid4().hex[:12]}"
    repository = DynamoDbRepository(client, table)
    repository.create_table()
    yield repository
    client.delete_table(TableName=table)


@pytest.fixture(params=ADAPTERS)
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repository]:
    """A fresh repository of each adapter kind."""
    if request.param == "sqlite":
        yield from _sqlite(tmp_path)
    elif request.param == "memory":
        yield MemoryRepository()
    else:
        yield from _dynamodb(request.getfixturevalue("dynamodb_endpoint"))
