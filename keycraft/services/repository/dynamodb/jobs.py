"""Transcription-job operations of the DynamoDB adapter (a mixin on ``DynamoBase``).

Items (see docs/data-model.md): the job at ``USER#<uid>/TJOB#<job_id>``; while it is queued
or running, an index item ``TJOBS/<created>#<job_id>`` (status and owner) so recovery and
queue positions are one query of one partition; ``USER#<uid>/TJOBUSAGE`` counts the user's
active jobs; ``USER#<uid>/TMINUTES#<window end>`` holds the seconds of recordings reserved in
one monthly window. Each state change is one conditional write or one transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

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
from keycraft.services.repository.dynamodb.base import (
    DynamoBase,
    dump,
    is_condition_failure,
    opt_iso,
    opt_time,
)
from keycraft.services.repository.dynamodb.keys import (
    PK,
    SK,
    TTL_ATTRIBUTE,
    iso,
    parse_iso,
    user_pk,
)

JOBS_INDEX_PK = "TJOBS"
USAGE_SK = "TJOBUSAGE"
_NAMES = {"#s": "status"}
_HELD = "#s = :running AND claim_id = :claim"


def job_sk(job_id: str) -> str:
    """Sort key of a transcription job under its owner."""
    return f"TJOB#{job_id}"


def minutes_sk(window_end: datetime) -> str:
    """Sort key of a user's seconds reserved in the monthly window ending ``window_end``."""
    return f"TMINUTES#{iso(window_end)}"


MINUTES_KEPT_AFTER_WINDOW = timedelta(days=31)
"""A window's counter outlives its window this long (for late refunds), then TTL removes it."""


def _index_sk(created_at: datetime, job_id: str) -> str:
    return f"{iso(created_at)}#{job_id}"


def _job_item(job: TranscriptionJob) -> dict[str, Any]:
    return {
        PK: user_pk(job.user_id),
        SK: job_sk(job.id),
        "id": job.id,
        "user_id": job.user_id,
        "project_id": job.project_id,
        "recording_key": job.recording_key,
        "filename": job.filename[:300],
        "title": job.title[:200],
        "into_existing": job.into_existing,
        "options_json": encode_options(job.options),
        "status": job.status,
        "progress_done": job.progress_done,
        "progress_total": job.progress_total,
        "attempts": job.attempts,
        "claim_id": job.claim_id,
        "error": job.error,
        "note_count": job.note_count,
        "created_at": iso(job.created_at),
        "updated_at": iso(job.updated_at),
        "lease_until": opt_iso(job.lease_until),
        "started_at": opt_iso(job.started_at),
        "finished_at": opt_iso(job.finished_at),
        "reserved_s": job.reserved_s,
        "minutes_window_end": opt_iso(job.minutes_window_end),
    }


def _job_from_item(item: dict[str, Any]) -> TranscriptionJob:
    return TranscriptionJob(
        id=item["id"],
        user_id=item["user_id"],
        project_id=item["project_id"],
        recording_key=item["recording_key"],
        filename=item.get("filename", ""),
        title=item.get("title", ""),
        created_at=parse_iso(item["created_at"]),
        updated_at=parse_iso(item["updated_at"]),
        into_existing=bool(item.get("into_existing", False)),
        options=decode_options(item.get("options_json")),
        status=item["status"],
        progress_done=int(item.get("progress_done", 0)),
        progress_total=int(item.get("progress_total", 0)),
        attempts=int(item.get("attempts", 0)),
        claim_id=item.get("claim_id", ""),
        lease_until=opt_time(item.get("lease_until")),
        started_at=opt_time(item.get("started_at")),
        finished_at=opt_time(item.get("finished_at")),
        error=item.get("error", ""),
        note_count=int(item.get("note_count", 0)),
        reserved_s=int(item.get("reserved_s", 0)),
        minutes_window_end=opt_time(item.get("minutes_window_end")),
    )


class DynamoJobsMixin(DynamoBase):
    """Job items, an index partition of active jobs, and a per-user active counter."""

    def _update(
        self,
        pk: str,
        sk: str,
        expression: str,
        values: dict[str, Any],
        condition: str | None = None,
    ) -> dict[str, Any]:
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": dump({PK: pk, SK: sk}),
            "UpdateExpression": expression,
            "ExpressionAttributeValues": dump(values),
        }
        if "#s" in expression or (condition and "#s" in condition):
            update["ExpressionAttributeNames"] = _NAMES
        if condition:
            update["ConditionExpression"] = condition
        return {"Update": update}

    def _transact(self, items: list[dict[str, Any]]) -> bool:
        try:
            with self._calls():
                self._client.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def _index_key(self, job: TranscriptionJob) -> tuple[str, str]:
        return JOBS_INDEX_PK, _index_sk(job.created_at, job.id)

    def create_transcription_job(
        self, job: TranscriptionJob, max_active: int, allowance_s: int | None = None
    ) -> bool:
        """See ``TranscriptionJobStore``: counters, job and index item in one transaction."""
        window_end = job.minutes_window_end
        reserving = allowance_s is not None and window_end is not None
        index_pk, index_sk = self._index_key(job)
        items = [
            self._update(
                user_pk(job.user_id),
                USAGE_SK,
                "SET active_jobs = if_not_exists(active_jobs, :zero) + :one",
                {":zero": 0, ":one": 1, ":max": max_active},
                "attribute_not_exists(active_jobs) OR active_jobs < :max",
            ),
            self._put(_job_item(job), "attribute_not_exists(PK)"),
            self._put({PK: index_pk, SK: index_sk, "user_id": job.user_id, "status": job.status}),
        ]
        if reserving and window_end is not None and allowance_s is not None:
            items.append(self._reserve_minutes(job, window_end, allowance_s))
        try:
            with self._calls():
                self._client.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if not is_condition_failure(exc):
                raise
            reasons = exc.response.get("CancellationReasons", [])
            refused = [r.get("Code") == "ConditionalCheckFailed" for r in reasons]
            # The job count is checked first; the minutes refuse only a job that fits it.
            if len(refused) == len(items) and not any(refused[:3]) and refused[-1]:
                assert window_end is not None and allowance_s is not None
                used_s = self.transcription_seconds_used(job.user_id, window_end)
                raise MinutesSpent(used_s, allowance_s, job.reserved_s) from exc
            return False
        return True

    def _reserve_minutes(
        self, job: TranscriptionJob, window_end: datetime, allowance_s: int
    ) -> dict[str, Any]:
        update = self._update(
            user_pk(job.user_id),
            minutes_sk(window_end),
            "SET used_s = if_not_exists(used_s, :zero) + :need, #ttl = :ttl",
            {
                ":zero": 0,
                ":need": job.reserved_s,
                ":room": allowance_s - job.reserved_s,
                ":allowance": allowance_s,
                ":ttl": int((window_end + MINUTES_KEPT_AFTER_WINDOW).timestamp()),
            },
            "(attribute_not_exists(used_s) AND :need <= :allowance) OR used_s <= :room",
        )
        update["Update"]["ExpressionAttributeNames"] = {"#ttl": TTL_ATTRIBUTE}
        return update

    def transcription_seconds_used(self, user_id: str, window_end: datetime) -> int:
        """See ``TranscriptionJobStore``."""
        item = self._get(user_pk(user_id), minutes_sk(window_end))
        return 0 if item is None else int(item.get("used_s", 0))

    def get_transcription_job(self, user_id: str, job_id: str) -> TranscriptionJob | None:
        """See ``TranscriptionJobStore``."""
        item = self._get(user_pk(user_id), job_sk(job_id))
        return None if item is None else _job_from_item(item)

    def list_user_transcription_jobs(self, user_id: str) -> list[TranscriptionJob]:
        """See ``TranscriptionJobStore``."""
        items = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=dump({":pk": user_pk(user_id), ":prefix": "TJOB#"}),
            ConsistentRead=True,
        )
        jobs = [_job_from_item(item) for item in items]
        return sorted(jobs, key=lambda j: (j.created_at, j.id), reverse=True)

    def list_active_transcription_jobs(self) -> list[TranscriptionJob]:
        """See ``TranscriptionJobStore``; index items of vanished jobs are removed."""
        jobs: list[TranscriptionJob] = []
        stale: list[dict[str, str]] = []
        for entry in self._query(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=dump({":pk": JOBS_INDEX_PK}),
            ConsistentRead=True,
        ):
            job_id = entry[SK].rsplit("#", 1)[1]
            job = self.get_transcription_job(entry["user_id"], job_id)
            if job is not None and job.active:
                jobs.append(job)
            else:
                stale.append({PK: entry[PK], SK: entry[SK]})
        if stale:
            self._delete_keys(stale)
        return jobs

    def transcription_queue_position(self, job: TranscriptionJob) -> int:
        """See ``TranscriptionJobStore``: one COUNT query over the index partition."""
        ahead = 0
        with self._calls():
            pages = self._client.get_paginator("query").paginate(
                TableName=self._table,
                KeyConditionExpression="PK = :pk AND SK < :mine",
                FilterExpression="#s = :queued",
                ExpressionAttributeNames=_NAMES,
                ExpressionAttributeValues=dump(
                    {
                        ":pk": JOBS_INDEX_PK,
                        ":mine": _index_sk(job.created_at, job.id),
                        ":queued": QUEUED,
                    }
                ),
                Select="COUNT",
                ConsistentRead=True,
            )
            for page in pages:
                ahead += int(page.get("Count", 0))
        return ahead

    def claim_transcription_job(
        self, user_id: str, job_id: str, claim_id: str, now: datetime, lease_until: datetime
    ) -> TranscriptionJob | None:
        """See ``TranscriptionJobStore``."""
        job = self.get_transcription_job(user_id, job_id)
        if job is None or not job.active:
            return None
        started = iso(job.started_at or now)
        claimed = self._transact(
            [
                self._update(
                    user_pk(user_id),
                    job_sk(job_id),
                    "SET #s = :running, claim_id = :claim, lease_until = :lease, "
                    "started_at = :started, updated_at = :now ADD attempts :one",
                    {
                        ":running": RUNNING,
                        ":queued": QUEUED,
                        ":claim": claim_id,
                        ":lease": iso(lease_until),
                        ":started": started,
                        ":now": iso(now),
                        ":one": 1,
                    },
                    "#s = :queued OR (#s = :running AND lease_until < :now)",
                ),
                self._update(
                    *self._index_key(job),
                    "SET #s = :running",
                    {":running": RUNNING},
                    "attribute_exists(PK)",
                ),
            ]
        )
        return self.get_transcription_job(user_id, job_id) if claimed else None

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
        update = self._update(
            user_pk(user_id),
            job_sk(job_id),
            "SET progress_done = :done, progress_total = :total, lease_until = :lease, "
            "updated_at = :now",
            {
                ":done": done,
                ":total": total,
                ":lease": iso(lease_until),
                ":now": iso(now),
                ":running": RUNNING,
                ":claim": claim_id,
            },
            _HELD,
        )["Update"]
        try:
            with self._calls():
                self._client.update_item(**update)
        except ClientError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def release_transcription_job(
        self, user_id: str, job_id: str, claim_id: str, now: datetime
    ) -> bool:
        """See ``TranscriptionJobStore``."""
        job = self.get_transcription_job(user_id, job_id)
        if job is None:
            return False
        return self._transact(
            [
                self._update(
                    user_pk(user_id),
                    job_sk(job_id),
                    "SET #s = :queued, claim_id = :empty, updated_at = :now REMOVE lease_until",
                    {
                        ":queued": QUEUED,
                        ":empty": "",
                        ":now": iso(now),
                        ":running": RUNNING,
                        ":claim": claim_id,
                    },
                    _HELD,
                ),
                self._update(*self._index_key(job), "SET #s = :queued", {":queued": QUEUED}),
            ]
        )

    def _end(self, job: TranscriptionJob, job_update: dict[str, Any], status: str) -> bool:
        # The job's end, its index item, the owner's active count and (for a job that ends
        # without notes) its reserved seconds change together: a replay refunds nothing.
        index_pk, index_sk = self._index_key(job)
        items = [
            job_update,
            {"Delete": {"TableName": self._table, "Key": dump({PK: index_pk, SK: index_sk})}},
            self._update(user_pk(job.user_id), USAGE_SK, "ADD active_jobs :minus", {":minus": -1}),
        ]
        ended = replace(job, status=status)
        if ended.refunds_minutes and job.minutes_window_end is not None:
            items.append(
                self._update(
                    user_pk(job.user_id),
                    minutes_sk(job.minutes_window_end),
                    "ADD used_s :minus",
                    {":minus": -job.reserved_s},
                )
            )
        return self._transact(items)

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
        job = self.get_transcription_job(user_id, job_id)
        if job is None:
            return False
        update = self._update(
            user_pk(user_id),
            job_sk(job_id),
            "SET #s = :status, finished_at = :now, updated_at = :now, #e = :error, "
            "note_count = :notes REMOVE lease_until",
            {
                ":status": status,
                ":now": iso(now),
                ":error": error[:100],
                ":notes": note_count,
                ":running": RUNNING,
                ":claim": claim_id,
            },
            _HELD,
        )
        update["Update"]["ExpressionAttributeNames"] = {**_NAMES, "#e": "error"}
        return self._end(job, update, status)

    def cancel_transcription_job(
        self, user_id: str, job_id: str, now: datetime
    ) -> TranscriptionJob | None:
        """See ``TranscriptionJobStore``."""
        job = self.get_transcription_job(user_id, job_id)
        if job is None or not job.active:
            return None
        update = self._update(
            user_pk(user_id),
            job_sk(job_id),
            "SET #s = :cancelled, finished_at = :now, updated_at = :now REMOVE lease_until",
            {
                ":cancelled": CANCELLED,
                ":now": iso(now),
                ":queued": ACTIVE_STATUSES[0],
                ":running": ACTIVE_STATUSES[1],
            },
            "#s IN (:queued, :running)",
        )
        return job if self._end(job, update, CANCELLED) else None
