"""The job as the JSON API shows it: progress, time left, notes so far or final, its times."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from keycraft.api.transcriptions import job_json
from keycraft.services.domain import Note, PedalSpan
from keycraft.services.jobs.live import LiveProgress
from keycraft.services.jobs.model import DONE, QUEUED, RUNNING, TranscriptionJob
from keycraft.services.jobs.submit import JobView
from tests.support.factories import T0

JOB = TranscriptionJob(
    id="j1", user_id="u", project_id="p", recording_key="k", filename="a.wav", title="A",
    created_at=T0, updated_at=T0, options={"model": "transkun"},
)  # fmt: skip
NOTE = Note(start_tick=0, duration_ticks=480, pitch_midi=60, velocity=80)


def test_a_running_job_shows_percent_time_left_and_its_notes_so_far() -> None:
    job = replace(JOB, status=RUNNING, progress_done=2, progress_total=8)
    live = LiveProgress(estimate_s=61.234, notes=(NOTE,))
    body = job_json(JobView(job=job, position=0, elapsed_s=42.0), live.notes, live)
    assert (body["status"], body["position"]) == (RUNNING, 0)
    assert (body["progress_done"], body["progress_total"], body["progress_percent"]) == (2, 8, 25)
    assert (body["elapsed_s"], body["estimate_s"]) == (42.0, 61.2)
    assert body["notes"] == [
        {"start_tick": 0, "duration_ticks": 480, "pitch_midi": 60, "velocity": 80}
    ]


def test_a_queued_job_has_a_place_and_no_estimate_yet() -> None:
    body = job_json(JobView(job=replace(JOB, status=QUEUED), position=3, elapsed_s=5.0))
    assert (body["position"], body["estimate_s"], body["progress_percent"]) == (3, None, 0)
    assert "notes" not in body


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


def test_a_finished_job_shows_its_pedal_in_ticks() -> None:
    job = _job(status=DONE, note_count=1)
    pedals = (PedalSpan(0, 960), PedalSpan(960, 1800))
    body = job_json(JobView(job=job, position=0, elapsed_s=9.0), (NOTE,), None, pedals)
    assert body["pedals"] == [
        {"start_tick": 0, "end_tick": 960},
        {"start_tick": 960, "end_tick": 1800},
    ]
    assert "pedals" not in job_json(JobView(job=job, position=0, elapsed_s=9.0), (NOTE,))
