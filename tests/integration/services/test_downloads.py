"""MIDI downloads against a real, migrated SQLite database: quota first-come, exact files."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from keycraft.config import Settings
from keycraft.manage import migrate
from keycraft.services.domain import Note, TempoChange, TimeSignature, TimeSignatureChange
from keycraft.services.downloads import (
    QuotaExhausted,
    download_project_midi,
    midi_filename,
    quota_status,
)
from keycraft.services.errors import NotFound
from keycraft.services.notes.midi_io import import_midi
from keycraft.services.plans import Plan
from keycraft.services.repository.port import Repository
from keycraft.services.repository.sql_base import make_engine
from keycraft.services.repository.sqlmodel_repo import SqlModelRepository
from tests.support.factories import T0, make_project, make_user


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    url = f"sqlite:///{tmp_path / 'downloads.db'}"
    migrate(Settings(REPOSITORY="sqlmodel", DATABASE_URL=url))
    engine = make_engine(url)
    yield SqlModelRepository(engine)
    engine.dispose()


def test_downloads_count_against_the_free_quota_and_wrong_ids_cost_nothing(
    repo: Repository,
) -> None:
    user = repo.create_user(make_user())
    notes = (Note(0, 480, 60, 90), Note(5, 7, 61, 1))
    project = repo.create_project(replace(make_project(user, title="Prélude"), notes=notes))
    now = T0 + timedelta(hours=1)
    with pytest.raises(NotFound):
        download_project_midi(repo, user.id, "missing", now)
    status = quota_status(repo, user.id, now)
    assert status is not None and (status.used, status.limit) == (0, 3)

    for _ in range(3):
        download = download_project_midi(repo, user.id, project.id, now)
        assert set(import_midi(download.data).notes) == set(notes)
        assert download.filename == "Prelude.mid"
    with pytest.raises(QuotaExhausted) as refused:
        download_project_midi(repo, user.id, project.id, now)
    assert (refused.value.decision.used, refused.value.decision.limit) == (3, 3)
    status = quota_status(repo, user.id, now)
    assert status is not None and status.used == 3


def test_a_paid_plan_raises_the_limit(repo: Repository) -> None:
    pro = Plan(key="pro", name="Pro", monthly_downloads=5, price_cents=900)
    user = repo.create_user(make_user(active_plans=("pro",)))
    project = repo.create_project(make_project(user))
    for _ in range(5):
        download_project_midi(repo, user.id, project.id, T0, plans=(pro,))
    with pytest.raises(QuotaExhausted):
        download_project_midi(repo, user.id, project.id, T0, plans=(pro,))
    status = quota_status(repo, user.id, T0, plans=(pro,))
    assert status is not None and (status.used, status.limit) == (5, 5)


def test_someone_elses_project_is_not_found(repo: Repository) -> None:
    owner = repo.create_user(make_user())
    stranger = repo.create_user(make_user())
    project = repo.create_project(make_project(owner))
    with pytest.raises(NotFound):
        download_project_midi(repo, stranger.id, project.id, T0)
    status = quota_status(repo, stranger.id, T0)
    assert status is not None and status.used == 0


def test_file_names_are_safe() -> None:
    assert midi_filename("Für Elise / WoO 59") == "Fur-Elise-WoO-59.mid"
    assert midi_filename("../..") == "keycraft.mid"
    assert midi_filename("   ") == "keycraft.mid"


def test_the_downloaded_file_carries_the_tempo_and_metre_maps(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = replace(
        make_project(user),
        notes=(Note(0, 480, 60, 90), Note(3000, 480, 64, 70)),
        tempo_bpm=100.0,
        time_signature=TimeSignature(3, 4),
        tempo_changes=(TempoChange(1440, 75.0), TempoChange(2880, 150.0)),
        time_signature_changes=(TimeSignatureChange(2880, 4, 4),),
    )
    repo.create_project(project)
    download = download_project_midi(repo, user.id, project.id, T0 + timedelta(hours=1))
    imported = import_midi(download.data)
    assert set(imported.notes) == set(project.notes)
    assert (imported.tempo_bpm, imported.tempo_changes) == (100.0, project.tempo_changes)
    assert imported.time_signature == TimeSignature(3, 4)
    assert imported.time_signature_changes == project.time_signature_changes
