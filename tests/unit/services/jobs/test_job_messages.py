"""A job's status line and the sentence for each way it can end without notes."""

from __future__ import annotations

from dataclasses import replace

from keycraft.services.jobs import errors
from keycraft.services.jobs.model import CANCELLED, DONE, FAILED, QUEUED, RUNNING, TranscriptionJob
from keycraft.services.jobs.submit import JobView
from keycraft.state.job_messages import FALLBACK_JOB_MESSAGE, job_status_text
from tests.support.factories import T0

JOB = TranscriptionJob(
    id="j", user_id="u", project_id="p", recording_key="k", filename="a.wav", title="A",
    created_at=T0, updated_at=T0,
)  # fmt: skip


def _text(
    elapsed_s: float = 75.0, position: int = 0, estimate_s: float | None = None, **fields: object
) -> str:
    job = replace(JOB, **fields)  # type: ignore[arg-type]
    return job_status_text(JobView(job=job, position=position, elapsed_s=elapsed_s), estimate_s)


def test_waiting_and_running_jobs_show_place_percent_and_time() -> None:
    assert _text(position=1, status=QUEUED) == "Queued — position 1 · 1:15"
    assert _text(status=RUNNING) == "Transcribing… · 1:15"
    assert _text(status=RUNNING, progress_done=3, progress_total=4) == "Transcribing… 75% · 1:15"


def test_a_running_job_tells_the_minutes_left_rounded_up() -> None:
    def running(estimate_s: float) -> str:
        return _text(estimate_s=estimate_s, status=RUNNING, progress_done=1, progress_total=4)

    assert running(150.0) == "Transcribing… 25% · 1:15 · about 3 min left"
    assert running(5.0) == "Transcribing… 25% · 1:15 · about 1 min left"
    assert running(0.0) == "Transcribing… 25% · 1:15 · about 1 min left"
    # A waiting job has no estimate of its own yet.
    assert _text(position=2, estimate_s=90.0, status=QUEUED) == "Queued — position 2 · 1:15"


def test_ended_jobs_say_how_they_ended() -> None:
    assert _text(status=DONE, note_count=46) == "Transcribed 46 notes."
    assert _text(status=CANCELLED) == "Transcription cancelled."
    assert _text(status=FAILED, error="too_long").startswith("That recording is too long")
    assert _text(status=FAILED, error=errors.UNSUPPORTED) == (
        "The transcriber could not read that file as audio."
    )
    assert _text(status=FAILED, error="something new") == FALLBACK_JOB_MESSAGE
