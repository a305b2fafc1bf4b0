"""A job's live view: the running job's notes so far on the project's grid, and time left."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from keycraft.services.clock import utc_now
from keycraft.services.jobs.live import LiveProgress, live_progress
from keycraft.services.jobs.model import DONE, QUEUED, RUNNING, TranscriptionJob
from keycraft.services.jobs.preview import JobPreview, write_preview
from keycraft.services.repository.port import Repository
from keycraft.services.storage.local import LocalStorage
from keycraft.services.transcription.client import TranscribedNote
from keycraft.services.transcription.recordings import notes_from_transcription
from tests.support.factories import make_project, make_user


def test_a_running_job_shows_its_settled_notes_and_time_left(
    repo: Repository, tmp_path: Path
) -> None:
    storage = LocalStorage(tmp_path / "media")
    user = repo.create_user(make_user("l@example.com"))
    project = repo.create_project(make_project(user, title="Live"))
    now = utc_now()
    job = TranscriptionJob(
        id="job-live",
        user_id=user.id,
        project_id=project.id,
        recording_key="k",
        filename="a.wav",
        title="Live",
        created_at=now - timedelta(seconds=60),
        updated_at=now,
        options={"model": "transkun"},
        status=RUNNING,
    )
    assert live_progress(repo, storage, job, now) == LiveProgress(estimate_s=None)

    notes = (
        TranscribedNote(0.5, 1.0, 60, 80),
        TranscribedNote(1.0, 2.0, 64, 70),
    )
    started = now.timestamp() - 40.0
    write_preview(storage, job.id, JobPreview(2, 6, 40.0, started, notes))
    live = live_progress(repo, storage, job, now)
    assert live.estimate_s == pytest.approx(80.0)  # 20 s a segment, four to go
    assert live.notes == tuple(notes_from_transcription(notes, project.tempo_bpm))

    assert live_progress(repo, storage, replace(job, status=QUEUED), now).estimate_s is None
    done = live_progress(repo, storage, replace(job, status=DONE), now)
    assert done == LiveProgress(estimate_s=0.0)
