"""Starlette routes served beside the Reflex app (health, and later auth and webhooks)."""

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from keycraft.api.auth_routes import auth_routes
from keycraft.api.billing import (
    WEBHOOK_API,
    checkout,
    portal,
    stripe_webhook,
)
from keycraft.api.experiments import experiment_csv
from keycraft.api.health import health
from keycraft.api.media import MEDIA_ROUTE, media
from keycraft.api.metrics import METRICS_ROUTE, metrics
from keycraft.api.observability import RequestContextMiddleware
from keycraft.api.projects import project_audio, project_midi
from keycraft.api.security_headers import SecurityHeadersMiddleware
from keycraft.api.seo import robots, sitemap
from keycraft.api.staff_pages import StaffPagesMiddleware
from keycraft.api.transcriptions import (
    delete_transcription,
    get_transcription,
    start_transcription,
)
from keycraft.api.upload_guard import UploadGuardMiddleware
from keycraft.config import get_settings, refuse_unsafe_deployment
from keycraft.routes import (
    CHECKOUT_API,
    EXPERIMENT_CSV_API,
    HEALTH_API,
    PORTAL_API,
    PROJECT_AUDIO_API,
    PROJECT_MIDI_API,
    PROJECT_TRANSCRIPTIONS_API,
    ROBOTS_TXT,
    SITEMAP_XML,
    TRANSCRIPTION_API,
)


def build_api() -> Starlette:
    """Return the Starlette app whose routes Reflex matches before its own.

    Its middleware wraps the Reflex backend too (Reflex mounts itself inside this app), so
    every HTTP response carries ``X-Request-ID`` and is counted in the request metrics, and
    staff pages are refused with a 403 before their static files are served, and uploads
    are bounded and need a session before Reflex reads them.

    Raises:
        SystemExit: The settings are development defaults on a public deployment; every
            server entry point builds this app, so none can start with them.
    """
    settings = get_settings()
    refuse_unsafe_deployment(settings)
    routes = [
        Route(HEALTH_API, health, methods=["GET"]),
        Route(MEDIA_ROUTE, media, methods=["GET"]),
        Route(METRICS_ROUTE, metrics, methods=["GET"]),
        Route(ROBOTS_TXT, robots, methods=["GET"]),
        Route(SITEMAP_XML, sitemap, methods=["GET"]),
        Route(EXPERIMENT_CSV_API, experiment_csv, methods=["GET"]),
        Route(WEBHOOK_API, stripe_webhook, methods=["POST"]),
        Route(CHECKOUT_API, checkout, methods=["GET"]),
        Route(PORTAL_API, portal, methods=["POST"]),
        Route(PROJECT_MIDI_API, project_midi, methods=["GET"]),
        Route(PROJECT_AUDIO_API, project_audio, methods=["GET"]),
        Route(PROJECT_TRANSCRIPTIONS_API, start_transcription, methods=["POST"]),
        Route(TRANSCRIPTION_API, get_transcription, methods=["GET"]),
        Route(TRANSCRIPTION_API, delete_transcription, methods=["DELETE"]),
        *auth_routes(),
    ]
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(RequestContextMiddleware, routes=routes),
            Middleware(SecurityHeadersMiddleware, settings=settings),
            Middleware(StaffPagesMiddleware),
            Middleware(UploadGuardMiddleware),
        ],
    )
