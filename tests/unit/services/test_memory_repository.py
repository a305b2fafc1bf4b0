"""The memory adapter: copies that share nothing mutable, separate stores, the setting."""

from __future__ import annotations

from dataclasses import dataclass, field

from keycraft.config import Settings
from keycraft.manage import migrate
from keycraft.services.container import build_repository
from keycraft.services.repository.memory import MemoryRepository
from keycraft.services.repository.memory.copying import detached
from tests.support.factories import make_project, make_user


@dataclass(frozen=True)
class _Tagged:
    name: str
    tags: list[str] = field(default_factory=list)
    counts: dict[str, list[int]] = field(default_factory=dict)


def test_immutable_records_are_shared_and_mutable_parts_are_copied() -> None:
    project = make_project(make_user(), notes=50)
    assert detached(project) is project
    tagged = _Tagged("a", ["x"], {"k": [1]})
    copied = detached(tagged)
    assert copied == tagged
    assert copied.tags is not tagged.tags
    assert copied.counts["k"] is not tagged.counts["k"]


def test_two_repositories_share_nothing() -> None:
    first, second = MemoryRepository(), MemoryRepository()
    user = first.create_user(make_user())
    assert second.get_user(user.id) is None
    second.create_user(user)  # the same id and email are free in another store


def test_the_setting_selects_a_fresh_memory_repository_that_needs_no_migration() -> None:
    settings = Settings(REPOSITORY="memory")
    repo = build_repository(settings)
    assert isinstance(repo, MemoryRepository)
    assert build_repository(settings) is not repo
    assert "nothing to prepare" in migrate(settings)
    repo.ping()
