"""MIDI downloads against a real, migrated SQLite database and a local media folder."""

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest

from keycraft.config import Settings
from keycraft.manage import migrate
from keycraft.services.billing.plans import Plan
from keycraft.services.domain import Note, TempoChange, TimeSignature, TimeSignatureChange
from keycraft.services.downloads import (
    DeliveredMidi,
    QuotaExhausted,
    build_project_midi,
    export_project_midi,
    midi_filename,
    quota_status,
)
from keycraft.services.errors import NotFound, StorageUnavailable
from keycraft.services.notes.midi_io import import_midi
from keycraft.services.repository.port import Repository
from keycraft.services.repository.sql.base import make_engine
from keycraft.services.repository.sql.repository import SqlModelRepository
from keycraft.services.storage.local import MEDIA_LINK_PATH, LocalStorage
from keycraft.services.storage.media_links import MediaLinkSigner
from tests.support.factories import T0, make_project, make_user

SIGNER = MediaLinkSigner(b"test secret")


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    url = f"sqlite:///{tmp_path / 'downloads.db'}"
    migrate(Settings(REPOSITORY="sqlmodel", DATABASE_URL=url))
    engine = make_engine(url)
    yield SqlModelRepository(engine)
    engine.dispose()


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "media", SIGNER, "http://app.test")


def _export(
    repo: Repository,
    storage: LocalStorage,
    user_id: str,
    project_id: str,
    now: datetime,
    plans: tuple[Plan, ...] = (),
) -> DeliveredMidi:
    return export_project_midi(repo, storage, user_id, project_id, now, link_ttl_s=60, plans=plans)


def _fetch(storage: LocalStorage, delivered: DeliveredMidi) -> bytes:
    """What the link serves: the stored object its signed token names."""
    return storage.get(_key(delivered))


def _key(delivered: DeliveredMidi) -> str:
    token = unquote(delivered.url.split(MEDIA_LINK_PATH, 1)[1])
    link = SIGNER.verify(token, time.time())
    assert link.filename == delivered.filename
    return link.key


def test_downloads_count_against_the_free_quota_and_wrong_ids_cost_nothing(
    repo: Repository, storage: LocalStorage
) -> None:
    user = repo.create_user(make_user())
    notes = (Note(0, 480, 60, 90), Note(5, 7, 61, 1))
    project = repo.create_project(replace(make_project(user, title="Prélude"), notes=notes))
    now = T0 + timedelta(hours=1)
    with pytest.raises(NotFound):
        _export(repo, storage, user.id, "missing", now)
    status = quota_status(repo, user.id, now)
    assert status is not None and (status.used, status.limit) == (0, 3)

    for used in range(1, 4):
        delivered = _export(repo, storage, user.id, project.id, now)
        assert set(import_midi(_fetch(storage, delivered)).notes) == set(notes)
        assert delivered.filename == "Prélude.mid"
        assert (delivered.quota.used, delivered.quota.limit) == (used, 3)
    with pytest.raises(QuotaExhausted) as refused:
        _export(repo, storage, user.id, project.id, now)
    assert (refused.value.decision.used, refused.value.decision.limit) == (3, 3)
    status = quota_status(repo, user.id, now)
    assert status is not None and status.used == 3


def test_a_paid_plan_raises_the_limit(repo: Repository, storage: LocalStorage) -> None:
    pro = Plan(key="pro", name="Pro", monthly_downloads=5, price_cents=900)
    user = repo.create_user(make_user(active_plans=("pro",)))
    project = repo.create_project(make_project(user))
    for _ in range(5):
        _export(repo, storage, user.id, project.id, T0, plans=(pro,))
    with pytest.raises(QuotaExhausted):
        _export(repo, storage, user.id, project.id, T0, plans=(pro,))
    status = quota_status(repo, user.id, T0, plans=(pro,))
    assert status is not None and (status.used, status.limit) == (5, 5)


def test_someone_elses_project_is_not_found(repo: Repository, storage: LocalStorage) -> None:
    owner = repo.create_user(make_user())
    stranger = repo.create_user(make_user())
    project = repo.create_project(make_project(owner))
    with pytest.raises(NotFound):
        _export(repo, storage, stranger.id, project.id, T0)
    status = quota_status(repo, stranger.id, T0)
    assert status is not None and status.used == 0


def test_file_names_keep_any_script_and_drop_what_file_systems_refuse() -> None:
    assert midi_filename("Nocturne – Op.9 月光") == "Nocturne – Op.9 月光.mid"
    assert midi_filename("Für Elise / WoO 59") == "Für Elise - WoO 59.mid"
    assert midi_filename('a:b?"c"*<d>|e\\f\tg') == "a-b-c-d-e-f-g.mid"
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
    imported = import_midi(build_project_midi(repo, user.id, project.id).data)
    assert set(imported.notes) == set(project.notes)
    assert (imported.tempo_bpm, imported.tempo_changes) == (100.0, project.tempo_changes)
    assert imported.time_signature == TimeSignature(3, 4)
    assert imported.time_signature_changes == project.time_signature_changes


def test_a_store_that_refuses_the_write_costs_no_download(
    repo: Repository, storage: LocalStorage, tmp_path: Path
) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user, title="Nocturne – Op.9 月光"))
    exports = tmp_path / "media" / "users" / user.id / "projects" / project.id / "exports"
    exports.parent.mkdir(parents=True)
    exports.write_bytes(b"")  # a file where the exports folder must go: every write fails
    with pytest.raises(StorageUnavailable):
        _export(repo, storage, user.id, project.id, T0)
    quota = repo.get_quota(user.id)
    assert (quota.used, quota.total_downloads) == (0, 0)

    exports.unlink()
    delivered = _export(repo, storage, user.id, project.id, T0)
    assert delivered.filename == "Nocturne – Op.9 月光.mid"
    assert delivered.quota.used == 1
    # One object per saved version, under an ASCII name.
    assert _key(delivered) == f"users/{user.id}/projects/{project.id}/exports/v1/Nocturne-Op.9.mid"
    assert _fetch(storage, delivered).startswith(b"MThd")
