"""The transcription-jobs part of the Repository protocol: records, atomic claims, limits."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from keycraft.services.jobs.model import TranscriptionJob


class TranscriptionJobStore(Protocol):
    """Storage for transcription jobs; every state change is one conditional write."""

    def create_transcription_job(self, job: TranscriptionJob, max_active: int) -> bool:
        """Store a queued job unless its owner already has ``max_active`` active jobs.

        The check and the write are one atomic step: concurrent submissions never leave a
        user with more than ``max_active`` queued or running jobs. False when refused.
        """
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
        """End a held job as done or failed; False when the claim is lost or it was cancelled."""
        ...

    def cancel_transcription_job(
        self, user_id: str, job_id: str, now: datetime
    ) -> TranscriptionJob | None:
        """Cancel an active job; return it as it was before, or None if it had already ended."""
        ...
