"""The job-queue port: the web app hands a job id to whatever queue engine runs the workers."""

from __future__ import annotations

from typing import Protocol


class JobQueue(Protocol):
    """Delivers job ids to queue workers; at-least-once (the repository's claim dedupes)."""

    def enqueue(self, user_id: str, job_id: str, delay_s: float = 0.0) -> None:
        """Ask a worker to run the job now, or after ``delay_s`` seconds."""
        ...
