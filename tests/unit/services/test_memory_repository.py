"""The memory adapter hands out copies: what a caller does to a value never reaches the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from keycraft.config import Settings
from keycraft.manage import migrate
from keycraft.services.container import build_repository
from keycraft.services.jobs.model import TranscriptionJob
from keycraft.services.repository.memory import MemoryRepository
from keycraft.services.repository.memory.copying import detached
from tests.support.factories import T0, make_project, make_user, new_id


@dataclass(frozen=True)
class _Tagged:
    name: str
    tags: list[str] = field(default_factory=list)
    counts: dict[str, list[int]] = field(default_factory=dict)


def _job(user_id: str) -> TranscriptionJob:
    return TranscriptionJob(
        id=new_id(),
        user_id=user_id,
        project_id=new_id(),
        recording_key=f"users/{user_id}/x/source.wav",
        filename="take.wav",
        title="Take",
        created_at=T0,
        updated_at=T0,
        options={"model": "basic-pitch", "ranges": [1, 2]},
    )


def test_immutable_records_are_shared_and_mutable_parts_are_copied() -> None:
    project = make_project(make_user(), notes=50)
    assert detached(project) is project
    tagged = _Tagged("a", ["x"], {"k": [1]})
    copied = detached(tagged)
    assert copied == tagged
    assert copied.tags is not tagged.tags
    assert copied.counts["k"] is not tagged.counts["k"]


def test_changing_a_jobs_options_after_writing_or_reading_changes_nothing_stored() -> None:
    repo = MemoryRepository()
    user = repo.create_user(make_user())
    job = _job(user.id)
    assert repo.create_transcription_job(job, max_active=3)
    job.options["model"] = "changed"
    read = repo.get_transcription_job(user.id, job.id)
    assert read is not None and read.options == {"model": "basic-pitch", "ranges": [1, 2]}
    read.options["ranges"].append(3)
    claimed = repo.claim_transcription_job(user.id, job.id, "w", T0, T0 + timedelta(seconds=30))
    assert claimed is not None
    claimed.options.clear()
    (listed,) = repo.list_user_transcription_jobs(user.id)
    assert listed.options == {"model": "basic-pitch", "ranges": [1, 2]}


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
