"""The functions queue workers run: one job, and the recovery sweep."""

from __future__ import annotations

import asyncio
import time
from functools import partial

from keycraft.services.jobs.chunks import ChunkPolicy
from keycraft.services.jobs.notify import email_if_long
from keycraft.services.jobs.runner import JobContext, recover_jobs, run_job
from keycraft.services.jobs.sweep import sweep_orphan_recordings


def job_context() -> JobContext:
    """The worker's context from the process-wide services."""
    from keycraft.services.container import get_services  # the container imports this module

    services = get_services()
    return JobContext(
        repository=services.repository,
        storage=services.storage,
        transcriber=services.transcriber,
        queue=services.jobs,
        lease_s=services.settings.job_lease_s,
        on_finished=partial(email_if_long, services.settings, services.repository),
        chunks=ChunkPolicy(
            max_chunk_s=services.settings.job_chunk_max_s,
            overlap_s=services.settings.job_chunk_overlap_s,
            parallel=services.settings.job_chunk_parallel,
        ),
    )


def run_queued_job(user_id: str, job_id: str) -> None:
    """Queue task: run one transcription job (a no-op when it cannot be claimed)."""
    asyncio.run(run_job(job_context(), user_id, job_id))


def recover_lost_jobs() -> None:
    """Periodic task: re-send queued jobs idle too long and running ones whose worker died."""
    recover_jobs(job_context(), everything=False)


def sweep_recordings() -> None:
    """Periodic task: delete recordings whose project or job is gone."""
    from keycraft.services.container import get_services  # the container imports this module

    services = get_services()
    sweep_orphan_recordings(
        services.repository,
        services.storage,
        time.time(),
        staged_grace_s=services.settings.temp_upload_max_age_s,
    )
