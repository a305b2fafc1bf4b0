"""Queue worker: ``python -m keycraft.worker`` runs transcription jobs until stopped."""

from __future__ import annotations

import logging

from huey import crontab

from keycraft.services.container import get_services
from keycraft.services.jobs.huey_queue import HueyJobQueue
from keycraft.services.jobs.runner import recover_jobs
from keycraft.services.jobs.tasks import job_context, recover_lost_jobs, sweep_recordings
from keycraft.services.logs import configure_logging

logger = logging.getLogger("keycraft.worker")


def main() -> None:
    """Re-send jobs a stopped worker left behind, then consume the queue (Ctrl-C stops it)."""
    services = get_services()
    configure_logging(services.settings.log_level, services.settings.log_format == "json")
    queue = services.jobs
    if not isinstance(queue, HueyJobQueue):
        raise SystemExit("the configured job queue has no worker of its own")
    huey = queue.huey
    huey.periodic_task(crontab(minute="*"), name="recover_lost_jobs")(recover_lost_jobs)
    huey.periodic_task(crontab(minute="17"), name="sweep_recordings")(sweep_recordings)
    resent = recover_jobs(job_context(), everything=True)
    logger.info("worker_started", extra={"resent_jobs": resent})
    consumer = huey.create_consumer(
        workers=services.settings.job_workers, worker_type="thread", periodic=True
    )
    consumer.run()


if __name__ == "__main__":
    main()
