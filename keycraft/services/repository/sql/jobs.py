"""Relational transcription-job operations: every change is one conditional UPDATE."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession
from sqlmodel import col

from keycraft.services.jobs.errors import MinutesSpent
from keycraft.services.jobs.model import (
    ACTIVE_STATUSES,
    CANCELLED,
    QUEUED,
    RUNNING,
    TranscriptionJob,
    decode_options,
    encode_options,
)
from keycraft.services.repository.sql.base import SqlBase, aware, maybe_aware, rowcount
from keycraft.services.repository.sql.jobs_tables import (
    TranscriptionJobRow,
    TranscriptionMinutesRow,
    TranscriptionUsageRow,
)


def _job_from_row(row: TranscriptionJobRow) -> TranscriptionJob:
    return TranscriptionJob(
        id=row.id,
        user_id=row.user_id,
        project_id=row.project_id,
        recording_key=row.recording_key,
        filename=row.filename,
        title=row.title,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
        into_existing=row.into_existing,
        options=decode_options(row.options_json),
        status=row.status,
        progress_done=row.progress_done,
        progress_total=row.progress_total,
        attempts=row.attempts,
        claim_id=row.claim_id,
        lease_until=maybe_aware(row.lease_until),
        started_at=maybe_aware(row.started_at),
        finished_at=maybe_aware(row.finished_at),
        error=row.error,
        note_count=row.note_count,
        reserved_s=row.reserved_s,
        minutes_window_end=maybe_aware(row.minutes_window_end),
    )


def _row_from_job(job: TranscriptionJob) -> TranscriptionJobRow:
    return TranscriptionJobRow(
        id=job.id,
        user_id=job.user_id,
        project_id=job.project_id,
        recording_key=job.recording_key,
        filename=job.filename[:300],
        title=job.title[:200],
        into_existing=job.into_existing,
        options_json=encode_options(job.options),
        status=job.status,
        reserved_s=job.reserved_s,
        minutes_window_end=job.minutes_window_end,
        created_at=job.created_at,
        updated_at=job.updated_at,
    )


def _minutes_row(user_id: str, window_end: datetime) -> Any:
    return and_(
        col(TranscriptionMinutesRow.user_id) == user_id,
        col(TranscriptionMinutesRow.window_end) == window_end,
    )


def _held(user_id: str, job_id: str, claim_id: str) -> Any:
    return and_(
        col(TranscriptionJobRow.id) == job_id,
        col(TranscriptionJobRow.user_id) == user_id,
        col(TranscriptionJobRow.status) == RUNNING,
        col(TranscriptionJobRow.claim_id) == claim_id,
    )


def _seconds_used(db: DbSession, user_id: str, window_end: datetime) -> int:
    used = db.scalars(
        select(col(TranscriptionMinutesRow.used_s)).where(_minutes_row(user_id, window_end))
    ).first()
    return 0 if used is None else int(used)


class SqlJobsMixin(SqlBase):
    """Transcription-job half of the relational repository."""

    def _ensure_row(self, row: TranscriptionUsageRow | TranscriptionMinutesRow) -> None:
        try:
            with self._tx() as db:
                db.add(row)
        except IntegrityError:
            pass  # the row exists already

    def create_transcription_job(
        self, job: TranscriptionJob, max_active: int, allowance_s: int | None = None
    ) -> bool:
        """See ``TranscriptionJobStore``: conditional UPDATEs of the usage rows are the lock."""
        self._ensure_row(TranscriptionUsageRow(user_id=job.user_id, active_jobs=0))
        window_end = job.minutes_window_end
        if allowance_s is not None and window_end is not None:
            self._ensure_row(TranscriptionMinutesRow(user_id=job.user_id, window_end=window_end))
        with self._tx() as db:
            taken = db.execute(
                update(TranscriptionUsageRow)
                .where(
                    col(TranscriptionUsageRow.user_id) == job.user_id,
                    col(TranscriptionUsageRow.active_jobs) < max_active,
                )
                .values(active_jobs=col(TranscriptionUsageRow.active_jobs) + 1)
            )
            if rowcount(taken) != 1:
                return False
            if allowance_s is not None and window_end is not None:
                reserved = db.execute(
                    update(TranscriptionMinutesRow)
                    .where(
                        _minutes_row(job.user_id, window_end),
                        col(TranscriptionMinutesRow.used_s) + job.reserved_s <= allowance_s,
                    )
                    .values(used_s=col(TranscriptionMinutesRow.used_s) + job.reserved_s)
                )
                if rowcount(reserved) != 1:
                    used_s = _seconds_used(db, job.user_id, window_end)
                    # Raising rolls the transaction back: the active-job count taken above too.
                    raise MinutesSpent(used_s, allowance_s, job.reserved_s)
            db.add(_row_from_job(job))
        return True

    def transcription_seconds_used(self, user_id: str, window_end: datetime) -> int:
        """See ``TranscriptionJobStore``."""
        with self._tx() as db:
            return _seconds_used(db, user_id, window_end)

    def get_transcription_job(self, user_id: str, job_id: str) -> TranscriptionJob | None:
        """See ``TranscriptionJobStore``."""
        with self._tx() as db:
            row = db.get(TranscriptionJobRow, job_id)
            if row is None or row.user_id != user_id:
                return None
            return _job_from_row(row)

    def list_user_transcription_jobs(self, user_id: str) -> list[TranscriptionJob]:
        """See ``TranscriptionJobStore``."""
        with self._tx() as db:
            rows = db.scalars(
                select(TranscriptionJobRow)
                .where(col(TranscriptionJobRow.user_id) == user_id)
                .order_by(col(TranscriptionJobRow.created_at).desc())
            ).all()
            return [_job_from_row(r) for r in rows]

    def list_active_transcription_jobs(self) -> list[TranscriptionJob]:
        """See ``TranscriptionJobStore``."""
        with self._tx() as db:
            rows = db.scalars(
                select(TranscriptionJobRow)
                .where(col(TranscriptionJobRow.status).in_(ACTIVE_STATUSES))
                .order_by(col(TranscriptionJobRow.created_at))
            ).all()
            return [_job_from_row(r) for r in rows]

    def transcription_queue_position(self, job: TranscriptionJob) -> int:
        """See ``TranscriptionJobStore``."""
        with self._tx() as db:
            ahead = db.execute(
                select(func.count())
                .select_from(TranscriptionJobRow)
                .where(
                    col(TranscriptionJobRow.status) == QUEUED,
                    or_(
                        col(TranscriptionJobRow.created_at) < job.created_at,
                        and_(
                            col(TranscriptionJobRow.created_at) == job.created_at,
                            col(TranscriptionJobRow.id) < job.id,
                        ),
                    ),
                )
            ).one()[0]
        return int(ahead)

    def claim_transcription_job(
        self, user_id: str, job_id: str, claim_id: str, now: datetime, lease_until: datetime
    ) -> TranscriptionJob | None:
        """See ``TranscriptionJobStore``."""
        claimable = or_(
            col(TranscriptionJobRow.status) == QUEUED,
            and_(
                col(TranscriptionJobRow.status) == RUNNING,
                col(TranscriptionJobRow.lease_until) < now,
            ),
        )
        with self._tx() as db:
            claimed = db.execute(
                update(TranscriptionJobRow)
                .where(
                    col(TranscriptionJobRow.id) == job_id,
                    col(TranscriptionJobRow.user_id) == user_id,
                    claimable,
                )
                .values(
                    status=RUNNING,
                    claim_id=claim_id,
                    lease_until=lease_until,
                    attempts=col(TranscriptionJobRow.attempts) + 1,
                    started_at=func.coalesce(col(TranscriptionJobRow.started_at), now),
                    updated_at=now,
                )
            )
            if rowcount(claimed) != 1:
                return None
            row = db.get(TranscriptionJobRow, job_id)
            return None if row is None else _job_from_row(row)

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
        """See ``TranscriptionJobStore``."""
        with self._tx() as db:
            result = db.execute(
                update(TranscriptionJobRow)
                .where(_held(user_id, job_id, claim_id))
                .values(
                    progress_done=done,
                    progress_total=total,
                    lease_until=lease_until,
                    updated_at=now,
                )
            )
            return rowcount(result) == 1

    def release_transcription_job(
        self, user_id: str, job_id: str, claim_id: str, now: datetime
    ) -> bool:
        """See ``TranscriptionJobStore``."""
        with self._tx() as db:
            result = db.execute(
                update(TranscriptionJobRow)
                .where(_held(user_id, job_id, claim_id))
                .values(status=QUEUED, claim_id="", lease_until=None, updated_at=now)
            )
            return rowcount(result) == 1

    def _end(self, user_id: str, job_id: str, condition: Any, values: dict[str, Any]) -> bool:
        # The job's end and the owner's active count change in one transaction.
        with self._tx() as db:
            ended = db.execute(update(TranscriptionJobRow).where(condition).values(**values))
            if rowcount(ended) != 1:
                return False
            row = db.get(TranscriptionJobRow, job_id)
            job = None if row is None else _job_from_row(row)
            if job is not None and job.refunds_minutes and job.minutes_window_end is not None:
                db.execute(
                    update(TranscriptionMinutesRow)
                    .where(
                        _minutes_row(user_id, job.minutes_window_end),
                        col(TranscriptionMinutesRow.used_s) >= job.reserved_s,
                    )
                    .values(used_s=col(TranscriptionMinutesRow.used_s) - job.reserved_s)
                )
            db.execute(
                update(TranscriptionUsageRow)
                .where(
                    col(TranscriptionUsageRow.user_id) == user_id,
                    col(TranscriptionUsageRow.active_jobs) > 0,
                )
                .values(active_jobs=col(TranscriptionUsageRow.active_jobs) - 1)
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
        """See ``TranscriptionJobStore``."""
        values = {
            "status": status,
            "finished_at": now,
            "updated_at": now,
            "lease_until": None,
            "error": error[:100],
            "note_count": note_count,
        }
        return self._end(user_id, job_id, _held(user_id, job_id, claim_id), values)

    def cancel_transcription_job(
        self, user_id: str, job_id: str, now: datetime
    ) -> TranscriptionJob | None:
        """See ``TranscriptionJobStore``."""
        before = self.get_transcription_job(user_id, job_id)
        if before is None or not before.active:
            return None
        condition = and_(
            col(TranscriptionJobRow.id) == job_id,
            col(TranscriptionJobRow.user_id) == user_id,
            col(TranscriptionJobRow.status).in_(ACTIVE_STATUSES),
        )
        values = {"status": CANCELLED, "finished_at": now, "updated_at": now, "lease_until": None}
        return before if self._end(user_id, job_id, condition, values) else None
