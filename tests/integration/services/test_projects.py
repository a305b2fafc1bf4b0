"""Project use cases against a real, migrated SQLite database."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from keycraft.config import Settings
from keycraft.manage import migrate
from keycraft.services import projects
from keycraft.services.domain import Note, TempoChange, TimeSignature, TimeSignatureChange
from keycraft.services.errors import Conflict, NotFound
from keycraft.services.repository.port import Repository
from keycraft.services.repository.sql.base import make_engine
from keycraft.services.repository.sql.repository import SqlModelRepository
from keycraft.services.storage.local import LocalStorage
from tests.support.factories import T0, make_user


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    url = f"sqlite:///{tmp_path / 'projects.db'}"
    migrate(Settings(REPOSITORY="sqlmodel", DATABASE_URL=url))
    engine = make_engine(url)
    yield SqlModelRepository(engine)
    engine.dispose()


def test_create_open_rename_duplicate_delete(repo: Repository, tmp_path: Path) -> None:
    user = repo.create_user(make_user())
    other = repo.create_user(make_user())
    created = projects.create_project(
        repo, user.id, "  Für   Elise ", T0, notes=[Note(0, 480, 64, 80)], tempo_bpm=72
    )
    assert created.title == "Für Elise"
    assert projects.open_project(repo, user.id, created.id).notes == (Note(0, 480, 64, 80),)
    with pytest.raises(NotFound):
        projects.open_project(repo, other.id, created.id)

    renamed = projects.rename_project(repo, user.id, created.id, "Elise", T0 + timedelta(1))
    assert renamed.title == "Elise"
    assert renamed.version == created.version + 1

    storage = LocalStorage(tmp_path / "media")
    source_key = f"users/{user.id}/projects/{created.id}/source.wav"
    storage.put(source_key, b"RIFF", "audio/wav")
    repo.save_project(replace(renamed, source_audio_key=source_key), renamed.version)
    copy = projects.duplicate_project(repo, storage, user.id, created.id, T0 + timedelta(2))
    assert copy.id != created.id
    assert copy.source_audio_key == f"users/{user.id}/projects/{copy.id}/source.wav"
    assert copy.title == "Elise (copy)"
    assert copy.notes == created.notes
    assert copy.tempo_bpm == 72
    assert [s.title for s in projects.list_projects(repo, user.id)] == ["Elise (copy)", "Elise"]

    projects.delete_project(repo, storage, user.id, created.id)
    assert [s.id for s in projects.list_projects(repo, user.id)] == [copy.id]
    with pytest.raises(NotFound):
        storage.get(f"users/{user.id}/projects/{created.id}/source.wav")
    assert storage.get(f"users/{user.id}/projects/{copy.id}/source.wav") == b"RIFF"


def test_save_content_sorts_notes_checks_versions_and_metre(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = projects.create_project(repo, user.id, "Song", T0)
    saved = projects.save_content(
        repo,
        project,
        [Note(960, 10, 60, 1), Note(0, 10, 70, 1)],
        T0,
        tempo_bpm=90,
        time_signature=TimeSignature(3, 4),
    )
    assert saved.notes == (Note(0, 10, 70, 1), Note(960, 10, 60, 1))
    assert (saved.tempo_bpm, saved.time_signature) == (90, TimeSignature(3, 4))
    with pytest.raises(Conflict):
        projects.save_content(repo, project, [], T0)  # stale version
    with pytest.raises(projects.InvalidTempo):
        projects.save_content(repo, saved, [], T0, tempo_bpm=1000)
    with pytest.raises(projects.InvalidTimeSignature):
        projects.save_content(repo, saved, [], T0, time_signature=TimeSignature(4, 3))


def test_titles_must_be_non_empty_and_short(repo: Repository) -> None:
    user = repo.create_user(make_user())
    with pytest.raises(projects.InvalidTitle):
        projects.create_project(repo, user.id, "   ", T0)
    with pytest.raises(projects.InvalidTitle):
        projects.create_project(repo, user.id, "x" * 121, T0)


def test_save_content_keeps_or_replaces_the_tempo_and_metre_maps(repo: Repository) -> None:
    user = repo.create_user(make_user())
    tempos = (TempoChange(1920, 90.0),)
    signatures = (TimeSignatureChange(3840, 3, 4),)
    created = projects.create_project(
        repo, user.id, "Maps", T0, tempo_changes=tempos, time_signature_changes=signatures
    )
    kept = projects.save_content(repo, created, [Note(0, 480, 60, 80)], T0)
    assert (kept.tempo_changes, kept.time_signature_changes) == (tempos, signatures)
    cleared = projects.save_content(repo, kept, [], T0, tempo_changes=(), time_signature_changes=())
    assert projects.open_project(repo, user.id, created.id) == cleared
    assert (cleared.tempo_changes, cleared.time_signature_changes) == ((), ())
    with pytest.raises(projects.InvalidTempoMap):
        projects.save_content(repo, cleared, [], T0, tempo_changes=[TempoChange(0, 90.0)])
