"""The transcription job record and its statuses."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
ACTIVE_STATUSES = (QUEUED, RUNNING)
"""A job in one of these still counts against its owner's limit and may still change."""
FINISHED_STATUSES = (DONE, FAILED, CANCELLED)


@dataclass(frozen=True, slots=True)
class TranscriptionJob:
    """One recording to transcribe into a project, whatever browser tab started it.

    ``into_existing`` fills ``project_id`` (a project that already exists); otherwise the
    job creates the project with that id, so a retried job never makes a second one.
    ``options`` are the transcriber's form knobs (see ``TranscriptionOptions``).
    ``claim_id`` names the worker attempt that holds the job while ``lease_until`` is ahead.
    ``reserved_s`` is the recording's length, taken from the owner's monthly transcription
    allowance of the window ending ``minutes_window_end`` when the job was created; it goes
    back to that window if the job fails or is cancelled.
    """

    id: str
    user_id: str
    project_id: str
    recording_key: str
    filename: str
    title: str
    created_at: datetime
    updated_at: datetime
    into_existing: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    status: str = QUEUED
    progress_done: int = 0
    progress_total: int = 0
    attempts: int = 0
    claim_id: str = ""
    lease_until: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str = ""
    note_count: int = 0
    reserved_s: int = 0
    minutes_window_end: datetime | None = None

    @property
    def refunds_minutes(self) -> bool:
        """Whether the job's reserved minutes go back to its window (it ended without notes)."""
        return self.status in (FAILED, CANCELLED) and self.reserved_s > 0

    @property
    def active(self) -> bool:
        """Whether the job may still run (queued or running)."""
        return self.status in ACTIVE_STATUSES

    @property
    def percent(self) -> int:
        """Progress in whole percent (0 until the transcriber reports parts)."""
        if self.status == DONE:
            return 100
        if self.progress_total <= 0:
            return 0
        return min(99, int(100 * self.progress_done / self.progress_total))


def encode_options(options: dict[str, Any]) -> str:
    """Options as compact JSON for storage."""
    return json.dumps(options, separators=(",", ":"), sort_keys=True)


def decode_options(text: str | None) -> dict[str, Any]:
    """Inverse of :func:`encode_options`; empty for missing text."""
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {}
