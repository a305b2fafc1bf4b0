"""Transcription jobs in memory: records, atomic claims, the per-user limits and minutes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from keycraft.services.errors import Conflict
from keycraft.services.jobs.errors import MinutesSpent
from keycraft.services.jobs.model import CANCELLED, QUEUED, RUNNING, TranscriptionJob
from keycraft.services.repository.memory.base import MemoryBase
from keycraft.services.repository.memory.copying import detached

_FILENAME_CHARS, _TITLE_CHARS, _ERROR_CHARS = 300, 200, 100
"""As much of each text as the other adapters keep."""


def _new_record(job: TranscriptionJob) -> TranscriptionJob:
    # A created job starts unclaimed whatever the caller's copy says, as in the other adapters.
    return replace(
        detached(job),
        filename=job.filename[:_FILENAME_CHARS],
        title=job.title[:_TITLE_CHARS],
        progress_done=0,
        progress_total=0,
        attempts=0,
        claim_id="",
        lease_until=None,
        started_at=None,
        finished_at=None,
        error="",
        note_count=0,
    )


class MemoryJobsMixin(MemoryBase):
    """See ``port_jobs.TranscriptionJobStore``: each change is one step under the lock.

    A user's active-job count is not stored apart: it is read off the job records, which
    cannot then drift from it.
    """

    def _held(self, user_id: str, job_id: str, claim_id: str) -> TranscriptionJob | None:
        job = self._owned_job(user_id, job_id)
        if job is None or job.status != RUNNING or job.claim_id != claim_id:
            return None
        return job

    def _owned_job(self, user_id: str, job_id: str) -> TranscriptionJob | None:
        job = self._tables.jobs.get(job_id)
        return job if job is not None and job.user_id == user_id else None

    def _refund(self, job: TranscriptionJob) -> None:
        if not job.refunds_minutes or job.minutes_window_end is None:
            return
        key = (job.user_id, job.minutes_window_end)
        used = self._tables.seconds_used.get(key, 0)
        if used >= job.reserved_s:
            self._tables.seconds_used[key] = used - job.reserved_s

    def create_transcription_job(
        self, job: TranscriptionJob, max_active: int, allowance_s: int | None = None
    ) -> bool:
        """See the port; an id already in use is a ``Conflict``."""
        with self._lock:
            tables = self._tables
            if job.id in tables.jobs:
                raise Conflict(job.id)
            active = sum(1 for j in tables.jobs.values() if j.user_id == job.user_id and j.active)
            if active >= max_active:
                return False
            window_end = job.minutes_window_end
            if allowance_s is not None and window_end is not None:
                used = tables.seconds_used.get((job.user_id, window_end), 0)
                if used + job.reserved_s > allowance_s:
                    raise MinutesSpent(used, allowance_s, job.reserved_s)
                tables.seconds_used[(job.user_id, window_end)] = used + job.reserved_s
            tables.jobs[job.id] = _new_record(job)
        return True

    def transcription_seconds_used(self, user_id: str, window_end: datetime) -> int:
        """See the port."""
        with self._lock:
            return self._tables.seconds_used.get((user_id, window_end), 0)

    def get_transcription_job(self, user_id: str, job_id: str) -> TranscriptionJob | None:
        """See the port."""
        with self._lock:
            return detached(self._owned_job(user_id, job_id))

    def list_user_transcription_jobs(self, user_id: str) -> list[TranscriptionJob]:
        """See the port."""
        with self._lock:
            mine = [detached(j) for j in self._tables.jobs.values() if j.user_id == user_id]
        return sorted(mine, key=lambda j: (j.created_at, j.id), reverse=True)

    def list_active_transcription_jobs(self) -> list[TranscriptionJob]:
        """See the port."""
        with self._lock:
            active = [detached(j) for j in self._tables.jobs.values() if j.active]
        return sorted(active, key=lambda j: (j.created_at, j.id))

    def transcription_queue_position(self, job: TranscriptionJob) -> int:
        """See the port."""
        mark = (job.created_at, job.id)
        with self._lock:
            return sum(
                1
                for j in self._tables.jobs.values()
                if j.status == QUEUED and (j.created_at, j.id) < mark
            )

    def claim_transcription_job(
        self, user_id: str, job_id: str, claim_id: str, now: datetime, lease_until: datetime
    ) -> TranscriptionJob | None:
        """See the port."""
        with self._lock:
            job = self._owned_job(user_id, job_id)
            if job is None:
                return None
            lease_passed = job.lease_until is not None and job.lease_until < now
            if not (job.status == QUEUED or (job.status == RUNNING and lease_passed)):
                return None
            claimed = replace(
                job,
                status=RUNNING,
                claim_id=claim_id,
                lease_until=lease_until,
                attempts=job.attempts + 1,
                started_at=job.started_at or now,
                updated_at=now,
            )
            self._tables.jobs[job_id] = claimed
            return detached(claimed)

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
        """See the port."""
        with self._lock:
            job = self._held(user_id, job_id, claim_id)
            if job is None:
                return False
            self._tables.jobs[job_id] = replace(
                job,
                progress_done=done,
                progress_total=total,
                lease_until=lease_until,
                updated_at=now,
            )
        return True

    def release_transcription_job(
        self, user_id: str, job_id: str, claim_id: str, now: datetime
    ) -> bool:
        """See the port."""
        with self._lock:
            job = self._held(user_id, job_id, claim_id)
            if job is None:
                return False
            self._tables.jobs[job_id] = replace(
                job, status=QUEUED, claim_id="", lease_until=None, updated_at=now
            )
        return True

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
        """See the port."""
        with self._lock:
            job = self._held(user_id, job_id, claim_id)
            if job is None:
                return False
            ended = replace(
                job,
                status=status,
                finished_at=now,
                updated_at=now,
                lease_until=None,
                error=error[:_ERROR_CHARS],
                note_count=note_count,
            )
            self._tables.jobs[job_id] = ended
            self._refund(ended)
        return True

    def cancel_transcription_job(
        self, user_id: str, job_id: str, now: datetime
    ) -> TranscriptionJob | None:
        """See the port."""
        with self._lock:
            before = self._owned_job(user_id, job_id)
            if before is None or not before.active:
                return None
            ended = replace(
                before, status=CANCELLED, finished_at=now, updated_at=now, lease_until=None
            )
            self._tables.jobs[job_id] = ended
            self._refund(ended)
            return detached(before)
