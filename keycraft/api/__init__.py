"""Starlette routes served beside the Reflex app (health, and later auth and webhooks)."""

from starlette.applications import Starlette
from starlette.routing import Route

from keycraft.api.auth_routes import auth_routes
from keycraft.api.health import health
from keycraft.routes import HEALTH_API


def build_api() -> Starlette:
    """Return the Starlette app whose routes Reflex matches before its own."""
    return Starlette(routes=[Route(HEALTH_API, health, methods=["GET"]), *auth_routes()])
