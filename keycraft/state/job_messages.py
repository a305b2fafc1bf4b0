"""Fixed sentences for a transcription job's status and for why it ended without notes."""

from __future__ import annotations

import math

from keycraft.services.jobs import errors
from keycraft.services.jobs.model import CANCELLED, DONE, FAILED, QUEUED, RUNNING
from keycraft.services.jobs.ranges import range_of
from keycraft.services.jobs.submit import JobView

REJECTED_MESSAGES: dict[str, str] = {
    "too_long": "That recording is too long for the transcriber. Try a shorter excerpt.",
    "unprocessable_audio": "The transcriber could not decode that recording. Is the file damaged?",
}
"""The transcriber's own refusal codes (HTTP 400/422) → what the learner is told."""

JOB_ERROR_MESSAGES: dict[str, str] = {
    **REJECTED_MESSAGES,
    errors.TOO_LARGE: "That recording is too large for the transcriber.",
    errors.UNSUPPORTED: "The transcriber could not read that file as audio.",
    errors.TIMEOUT: "The transcription took too long and was stopped. Try a shorter piece.",
    errors.RECORDING_MISSING: "This project's recording is no longer available.",
    errors.PROJECT_GONE: "The project was deleted before its notes were ready.",
    errors.UNDECODABLE: "This project's recording could not be read to re-transcribe it.",
    errors.PAST_THE_END: "Those bars are past the end of the recording.",
}
FALLBACK_JOB_MESSAGE = "The transcriber is not available right now. Please try again later."
TOO_MANY_JOBS_MESSAGE = (
    "You already have {limit} transcriptions waiting or running. "
    "Start another when one has finished."
)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def job_error_message(code: str) -> str:
    """The sentence for a stored error code."""
    return JOB_ERROR_MESSAGES.get(code, FALLBACK_JOB_MESSAGE)


def time_left_text(estimate_s: float) -> str:
    """The estimate in whole minutes, rounded up: never promise less than is left."""
    minutes = max(1, math.ceil(estimate_s / 60))
    return f"about {minutes} min left"


def job_status_text(view: JobView, estimate_s: float | None = None) -> str:
    """One line on the job: place in the queue, percent, elapsed and time left, or its end."""
    job = view.job
    if job.status == QUEUED:
        return f"Queued — position {view.position} · {_clock(view.elapsed_s)}"
    if job.status == RUNNING:
        percent = f" {job.percent}%" if job.progress_total else ""
        left = f" · {time_left_text(estimate_s)}" if estimate_s is not None else ""
        return f"Transcribing…{percent} · {_clock(view.elapsed_s)}{left}"
    if job.status == DONE:
        bars = range_of(job)
        if bars is not None:
            return f"Replaced bars {bars.first_bar}–{bars.last_bar}: {job.note_count} notes."
        return f"Transcribed {job.note_count} notes."
    if job.status == CANCELLED:
        return "Transcription cancelled."
    if job.status == FAILED:
        return job_error_message(job.error)
    return ""
