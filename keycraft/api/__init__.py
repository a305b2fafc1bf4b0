"""Starlette routes served beside the Reflex app (health, and later auth and webhooks)."""

from starlette.applications import Starlette
from starlette.routing import Route

from keycraft.api.health import health
from keycraft.api.media import MEDIA_ROUTE, media
from keycraft.routes import HEALTH_API


def build_api() -> Starlette:
    """Return the Starlette app whose routes Reflex matches before its own."""
    routes = [
        Route(HEALTH_API, health, methods=["GET"]),
        Route(MEDIA_ROUTE, media, methods=["GET"]),
    ]
    return Starlette(routes=routes)
