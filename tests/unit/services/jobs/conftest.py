"""An in-memory repository for the job tests (the contract suite holds it to the others)."""

from __future__ import annotations

import pytest

from keycraft.services.repository.memory import MemoryRepository
from keycraft.services.repository.port import Repository


@pytest.fixture
def repo() -> Repository:
    return MemoryRepository()
