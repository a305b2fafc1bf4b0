"""The recording sweep: media of deleted projects and staged uploads of ended jobs go."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

from keycraft.config import Settings
from keycraft.manage import migrate, purge_temp
from keycraft.services.clock import utc_now
from keycraft.services.jobs.model import TranscriptionJob
from keycraft.services.jobs.preview import JobPreview, preview_key, write_preview
from keycraft.services.jobs.sweep import PROJECT_MEDIA_GRACE_S, sweep_orphan_recordings
from keycraft.services.repository.port import Repository
from keycraft.services.repository.sql.base import make_engine
from keycraft.services.repository.sql.repository import SqlModelRepository
from keycraft.services.storage.keys import temp_upload_key
from keycraft.services.storage.local import LocalStorage
from keycraft.services.transcription.recordings import recording_key
from tests.support.factories import make_project, make_user, new_id

STAGED_GRACE_S = 86400.0
LATER = PROJECT_MEDIA_GRACE_S + 60


def _keys(storage: LocalStorage) -> set[str]:
    return {o.key for o in storage.list_objects("")}


def _sweep(repo: Repository, storage: LocalStorage, after_s: float) -> int:
    return sweep_orphan_recordings(
        repo, storage, time.time() + after_s, staged_grace_s=STAGED_GRACE_S
    )


def test_media_of_a_deleted_project_goes_once_it_is_old_enough(
    repo: Repository, tmp_path: Path
) -> None:
    storage = LocalStorage(tmp_path / "media")
    user = repo.create_user(make_user("s@example.com"))
    kept = repo.create_project(make_project(user, title="Kept"))
    kept_key = recording_key(user.id, kept.id, ".wav")
    gone_id = new_id()
    gone_keys = {
        recording_key(user.id, gone_id, ".wav"),
        f"users/{user.id}/projects/{gone_id}/x.mid",
    }
    for key in {kept_key, *gone_keys}:
        storage.put(key, b"RIFF", "audio/wav")

    # Young media may belong to a project about to be written: left alone.
    assert _sweep(repo, storage, 0) == 0
    assert _keys(storage) == {kept_key, *gone_keys}
    assert _sweep(repo, storage, LATER) == 2
    assert _keys(storage) == {kept_key}
    assert _sweep(repo, storage, LATER) == 0  # nothing left to do


def test_staged_uploads_go_unless_a_live_job_still_needs_them(
    repo: Repository, tmp_path: Path
) -> None:
    storage = LocalStorage(tmp_path / "media")
    user = repo.create_user(make_user("t@example.com"))
    project = repo.create_project(make_project(user, title="Into"))
    waiting_key = temp_upload_key(new_id(), "source.wav")
    ended_key = temp_upload_key(new_id(), "source.wav")
    for key in (waiting_key, ended_key):
        storage.put(key, b"RIFF", "audio/wav")
    now = utc_now()
    job = TranscriptionJob(
        id=new_id(),
        user_id=user.id,
        project_id=project.id,
        recording_key=waiting_key,
        filename="take.wav",
        title="Into",
        created_at=now,
        updated_at=now,
        into_existing=True,
    )
    assert repo.create_transcription_job(job, 3)
    ended = replace(job, id=new_id(), recording_key=ended_key)
    assert repo.create_transcription_job(ended, 3)
    assert repo.cancel_transcription_job(user.id, ended.id, now) is not None

    # Each job's partial notes, as a running job leaves them: only the live job's stay.
    for with_preview in (job, ended):
        write_preview(storage, with_preview.id, JobPreview(1, 4, 30.0, time.time()))

    assert _sweep(repo, storage, LATER) == 0  # younger than the staged grace
    assert _sweep(repo, storage, STAGED_GRACE_S + 60) == 2
    assert _keys(storage) == {waiting_key, preview_key(job.id)}


def test_purge_temp_keeps_an_old_staged_upload_a_queued_job_is_still_to_read(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'purge.db'}"
    settings = Settings(
        REPOSITORY="sqlmodel",
        DATABASE_URL=url,
        MEDIA_DIR=tmp_path / "media",
        TEMP_UPLOAD_MAX_AGE_S=3600,
    )
    migrate(settings)
    engine = make_engine(url)
    repo = SqlModelRepository(engine)
    storage = LocalStorage(tmp_path / "media")
    user = repo.create_user(make_user("q@example.com"))
    project = repo.create_project(make_project(user, title="Queued"))
    waiting_key = temp_upload_key(new_id(), "source.wav")
    abandoned_key = temp_upload_key(new_id(), "source.wav")
    for key in (waiting_key, abandoned_key):
        storage.put(key, b"RIFF", "audio/wav")
        old = time.time() - 7200  # older than TEMP_UPLOAD_MAX_AGE_S
        os.utime(tmp_path / "media" / key, (old, old))
    now = utc_now()
    queued = TranscriptionJob(
        id=new_id(),
        user_id=user.id,
        project_id=project.id,
        recording_key=waiting_key,
        filename="take.wav",
        title="Queued",
        created_at=now,
        updated_at=now,
        into_existing=True,
    )
    assert repo.create_transcription_job(queued, 3)

    assert purge_temp(settings) == "1 expired temporary upload(s) deleted"
    assert _keys(storage) == {waiting_key}
    # Once the job has ended, its upload is an ordinary expired one.
    assert repo.cancel_transcription_job(user.id, queued.id, now) is not None
    assert purge_temp(settings) == "1 expired temporary upload(s) deleted"
    assert _keys(storage) == set()
    engine.dispose()
