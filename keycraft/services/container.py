"""Builds the service objects from Settings, once and lazily; tests swap them out."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from keycraft.config import Settings, get_settings
from keycraft.services.billing.plans import Plan, PlanCatalog
from keycraft.services.billing.stripe_gateway import StripeGateway
from keycraft.services.jobs.huey_queue import HueyJobQueue
from keycraft.services.jobs.queue import JobQueue
from keycraft.services.jobs.tasks import run_queued_job
from keycraft.services.repository.port import Repository
from keycraft.services.storage.local import LocalStorage
from keycraft.services.storage.media_links import MediaLinkSigner
from keycraft.services.storage.port import Storage
from keycraft.services.transcription.client import TranscriberClient


@dataclass(frozen=True)
class Services:
    """Every long-lived dependency the app uses."""

    settings: Settings
    repository: Repository
    storage: Storage
    transcriber: TranscriberClient
    plans: PlanCatalog
    stripe: StripeGateway | None
    """None when no Stripe secret key is configured (billing then stays off)."""
    jobs: JobQueue
    """Where transcription jobs go to be run by queue workers."""


_lock = threading.Lock()
_services: Services | None = None


def build_repository(settings: Settings) -> Repository:
    """Create the repository adapter the settings name."""
    if settings.repository == "dynamodb":
        from keycraft.services.repository.dynamodb.factory import dynamodb_repository

        return dynamodb_repository(settings)
    if settings.repository == "memory":
        from keycraft.services.repository.memory import MemoryRepository

        return MemoryRepository()
    from keycraft.services.repository.sql.base import make_engine
    from keycraft.services.repository.sql.repository import SqlModelRepository

    # The SQLite folder is created by `python -m keycraft.manage migrate`, not here: building
    # services must not touch the filesystem, and a missing database shows up in /api/health.
    return SqlModelRepository(make_engine(settings.database_url))


def build_storage(settings: Settings) -> Storage:
    """Create the media storage adapter the settings name."""
    if settings.storage == "s3":
        from keycraft.services.storage.s3_factory import s3_storage

        return s3_storage(settings)
    links = MediaLinkSigner(settings.secret_key.get_secret_value().encode("utf-8"))
    return LocalStorage(settings.media_dir, links, settings.app_url)


def plan_catalog(settings: Settings) -> PlanCatalog:
    """The plans on offer, as configured."""
    return PlanCatalog(tuple(Plan(**p.model_dump()) for p in settings.plans))


def build_services(settings: Settings) -> Services:
    """Create every service from ``settings``."""
    secret = settings.transcriber_secret.get_secret_value() if settings.transcriber_secret else None
    return Services(
        settings=settings,
        repository=build_repository(settings),
        storage=build_storage(settings),
        transcriber=TranscriberClient(
            settings.transcriber_url, secret, settings.transcriber_timeout_s
        ),
        plans=plan_catalog(settings),
        stripe=StripeGateway(
            settings.stripe_secret_key.get_secret_value(),
            settings.stripe_api_base,
            settings.stripe_timeout_s,
        )
        if settings.stripe_secret_key
        else None,
        jobs=HueyJobQueue(settings, run_queued_job),
    )


def get_services() -> Services:
    """Return the process-wide services, building them on first use."""
    global _services
    if _services is None:
        with _lock:
            if _services is None:
                _services = build_services(get_settings())
    return _services


def override_services(services: Services | None) -> None:
    """Replace (or with None, forget) the process-wide services; for tests and tools."""
    global _services
    with _lock:
        _services = services
