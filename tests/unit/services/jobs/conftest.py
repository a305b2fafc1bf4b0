"""A migrated SQLite repository for the job tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from keycraft.config import Settings
from keycraft.manage import migrate
from keycraft.services.repository.sql_base import make_engine
from keycraft.services.repository.sqlmodel_repo import SqlModelRepository


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[SqlModelRepository]:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    migrate(Settings(REPOSITORY="sqlmodel", DATABASE_URL=url))
    engine = make_engine(url)
    yield SqlModelRepository(engine)
    engine.dispose()
