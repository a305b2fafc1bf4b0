"""Email a job's owner when a long transcription ends: they have likely left the page."""

from __future__ import annotations

import logging
from collections.abc import Callable

from keycraft.config import Settings
from keycraft.routes import PROJECTS, editor_url
from keycraft.services.auth.mailer import send_email
from keycraft.services.jobs.model import DONE, FAILED, TranscriptionJob
from keycraft.services.repository.port import Repository

logger = logging.getLogger("keycraft.jobs")

Send = Callable[[Settings, str, str, str], None]


def waited_s(job: TranscriptionJob) -> float:
    """How long the owner waited for the job, from submitting it to its end (0 while live)."""
    if job.finished_at is None:
        return 0.0
    return max(0.0, (job.finished_at - job.created_at).total_seconds())


def worth_email(job: TranscriptionJob, threshold_s: float) -> bool:
    """Whether the job ended done or failed after more than ``threshold_s`` (not a cancel)."""
    return job.status in (DONE, FAILED) and waited_s(job) > threshold_s


def finished_email(job: TranscriptionJob, app_url: str) -> tuple[str, str]:
    """Subject and body for an ended job, with a link to its project (or the project list).

    A failed job that made its own project removed it, so that link goes to the list.
    """
    base = app_url.rstrip("/")
    if job.status == DONE:
        subject = f"Your transcription of “{job.title}” is ready"
        body = (
            f"KeyCraft transcribed {job.filename}: {job.note_count} notes are in your "
            f"project “{job.title}”.\n\nOpen it: {base}{editor_url(job.project_id)}\n"
        )
        return subject, body
    link = editor_url(job.project_id) if job.into_existing else PROJECTS.path
    subject = f"Your transcription of “{job.title}” did not finish"
    body = (
        f"KeyCraft could not transcribe {job.filename}. "
        f"You can see why and try again here: {base}{link}\n"
    )
    return subject, body


def email_if_long(
    settings: Settings, repo: Repository, job: TranscriptionJob, send: Send = send_email
) -> bool:
    """Email the owner about an ended job that took longer than ``JOB_EMAIL_AFTER_S``.

    Without SMTP settings the mailer only logs. Returns whether a message was handed over.
    """
    if not worth_email(job, settings.job_email_after_s):
        return False
    user = repo.get_user(job.user_id)
    if user is None or not user.email:
        return False
    subject, body = finished_email(job, settings.app_url)
    try:
        send(settings, user.email, subject, body)
    except OSError:
        logger.warning("job_email_not_sent", extra={"job_id": job.id})
        return False
    return True
