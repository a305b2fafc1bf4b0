"""The job as the transcription API shows it: its times as ISO 8601."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from keycraft.api.transcriptions import job_json
from keycraft.services.jobs.model import DONE, QUEUED, TranscriptionJob
from keycraft.services.jobs.submit import JobView
from tests.support.factories import T0


def _job(**fields: object) -> TranscriptionJob:
    job = TranscriptionJob(
        id="j1",
        user_id="u1",
        project_id="p1",
        recording_key="users/u1/projects/p1/recording.wav",
        filename="take.wav",
        title="Take",
        created_at=T0,
        updated_at=T0,
        status=QUEUED,
    )
    return replace(job, **fields)  # type: ignore[arg-type]


def test_a_queued_job_has_no_start_or_finish_time() -> None:
    body = job_json(JobView(job=_job(), position=1, elapsed_s=0.0))

    assert body["created_at"] == "2026-01-31T12:00:00+00:00"
    assert body["started_at"] is None
    assert body["finished_at"] is None


def test_a_finished_job_reports_when_it_was_created_started_and_finished() -> None:
    started, finished = T0 + timedelta(seconds=2.5), T0 + timedelta(seconds=9)
    job = _job(status=DONE, started_at=started, finished_at=finished, note_count=0)

    body = job_json(JobView(job=job, position=0, elapsed_s=9.0), notes=())

    assert (body["created_at"], body["started_at"], body["finished_at"]) == (
        "2026-01-31T12:00:00+00:00",
        "2026-01-31T12:00:02.500000+00:00",
        "2026-01-31T12:00:09+00:00",
    )
    assert body["notes"] == []
