"""What a queue worker needs to run transcription jobs, and the options a job carries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from keycraft.services.jobs.chunks import ChunkPolicy
from keycraft.services.jobs.model import TranscriptionJob
from keycraft.services.jobs.queue import JobQueue
from keycraft.services.repository.port import Repository
from keycraft.services.storage.port import Storage
from keycraft.services.transcription.client import TranscriberClient, TranscriptionOptions

_OPTION_NAMES = {f.name for f in fields(TranscriptionOptions)}


@dataclass(frozen=True)
class JobContext:
    """What a worker needs to run jobs."""

    repository: Repository
    storage: Storage
    transcriber: TranscriberClient
    queue: JobQueue
    lease_s: float = 60.0
    on_finished: Callable[[TranscriptionJob], object] | None = None
    """Called with the job record once it ended done or failed (e.g. to email its owner)."""
    chunks: ChunkPolicy = ChunkPolicy()
    """How a long recording is cut into parallel requests."""


def options_from(job: TranscriptionJob) -> TranscriptionOptions:
    """The transcriber options stored with the job (unknown keys are ignored)."""
    known: dict[str, Any] = {k: v for k, v in job.options.items() if k in _OPTION_NAMES}
    return TranscriptionOptions(**known)
