"""The transcription-jobs part of the Repository protocol: records, atomic claims, limits."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from keycraft.services.jobs.model import TranscriptionJob


class TranscriptionJobStore(Protocol):
    """Storage for transcription jobs; every state change is one conditional write."""

    def create_transcription_job(
        self, job: TranscriptionJob, max_active: int, allowance_s: int | None = None
    ) -> bool:
        """Store a queued job unless its owner already has ``max_active`` active jobs.

        With ``allowance_s``, the job's ``reserved_s`` is also added to its owner's seconds
        used in the window ending ``job.minutes_window_end``, refused when the sum would pass
        ``allowance_s``. The checks and the writes are one atomic step: concurrent
        submissions never leave a user with more than ``max_active`` queued or running jobs
        nor more seconds reserved than allowed. False when refused for the job count.

        Raises:
            MinutesSpent: the reservation does not fit (the job count did).
        """
        ...

    def transcription_seconds_used(self, user_id: str, window_end: datetime) -> int:
        """Seconds reserved by the user's jobs in the window ending ``window_end`` (0 if none)."""
        ...

    def get_transcription_job(self, user_id: str, job_id: str) -> TranscriptionJob | None:
        """Return the user's job, or None if missing or someone else's."""
        ...

    def list_user_transcription_jobs(self, user_id: str) -> list[TranscriptionJob]:
        """Every job of the user, newest first."""
        ...

    def list_active_transcription_jobs(self) -> list[TranscriptionJob]:
        """Every queued or running job of every user, oldest first (for recovery)."""
        ...

    def transcription_queue_position(self, job: TranscriptionJob) -> int:
        """How many queued jobs (of anyone) were created before ``job``."""
        ...

    def claim_transcription_job(
        self, user_id: str, job_id: str, claim_id: str, now: datetime, lease_until: datetime
    ) -> TranscriptionJob | None:
        """Atomically make the job running under ``claim_id`` and return it.

        Only a queued job, or a running one whose lease has passed (its worker died), can be
        claimed; each claim counts one attempt. None when another claim holds it or it ended.
        """
        ...

    def record_transcription_progress(
        self,
        user_id: str,
        job_id: str,
        claim_id: str,
        done: int,
        total: int,
        now: datetime,
        lease_until: datetime,
    ) -> bool:
        """Store progress and extend the lease; False when the claim is lost or cancelled."""
        ...

    def release_transcription_job(
        self, user_id: str, job_id: str, claim_id: str, now: datetime
    ) -> bool:
        """Put a running job back in the queue (the transcriber was busy); False if not held."""
        ...

    def finish_transcription_job(
        self,
        user_id: str,
        job_id: str,
        claim_id: str,
        status: str,
        now: datetime,
        *,
        error: str = "",
        note_count: int = 0,
    ) -> bool:
        """End a held job as done or failed; False when the claim is lost or it was cancelled.

        A failed job's reserved seconds go back to its window in the same atomic step, so a
        replayed finish never gives them back twice; a done job keeps them.
        """
        ...

    def cancel_transcription_job(
        self, user_id: str, job_id: str, now: datetime
    ) -> TranscriptionJob | None:
        """Cancel an active job; return it as it was before, or None if it had already ended.

        Its reserved seconds go back to its window in the same atomic step.
        """
        ...
