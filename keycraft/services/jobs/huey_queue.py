"""The job queue on Huey: SQLite storage by default (no extra server), Redis for scale-out."""

from __future__ import annotations

import threading
from collections.abc import Callable

from huey import Huey, RedisHuey, SqliteHuey

from keycraft.config import Settings

QUEUE_NAME = "keycraft-jobs"
TASK_NAME = "transcription_job"


def build_huey(settings: Settings) -> Huey:
    """The Huey instance the settings name (its storage connects on first use)."""
    if settings.job_queue == "redis":
        return RedisHuey(QUEUE_NAME, url=settings.job_queue_redis_url, results=False, utc=True)
    settings.job_queue_path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=str(settings.job_queue_path), results=False, utc=True)


class HueyJobQueue:
    """A :class:`~keycraft.services.jobs.queue.JobQueue` over one Huey task.

    The producer (the web app) and the consumer (``python -m keycraft.worker``) register
    the same task name, so a message written by one is run by the other.
    """

    def __init__(self, settings: Settings, run: Callable[[str, str], None]) -> None:
        self._settings = settings
        self._run = run
        self._lock = threading.Lock()
        self._huey: Huey | None = None
        self._task: Callable[..., object] | None = None

    @property
    def huey(self) -> Huey:
        """The Huey instance, built on first use (building services touches nothing)."""
        with self._lock:
            if self._huey is None:
                self._huey = build_huey(self._settings)
                self._task = self._huey.task(name=TASK_NAME)(self._run)
            return self._huey

    def enqueue(self, user_id: str, job_id: str, delay_s: float = 0.0) -> None:
        """See ``JobQueue``."""
        _ = self.huey
        task = self._task
        assert task is not None
        if delay_s > 0:
            task.schedule(args=(user_id, job_id), delay=delay_s)  # type: ignore[attr-defined]
        else:
            task(user_id, job_id)
