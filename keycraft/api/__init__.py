"""Starlette routes served beside the Reflex app (health, and later auth and webhooks)."""

from starlette.applications import Starlette
from starlette.routing import Route

from keycraft.api.billing import (
    CHECKOUT_API,
    PORTAL_API,
    WEBHOOK_API,
    checkout,
    portal,
    stripe_webhook,
)
from keycraft.api.health import health
from keycraft.routes import HEALTH_API


def build_api() -> Starlette:
    """Return the Starlette app whose routes Reflex matches before its own."""
    return Starlette(
        routes=[
            Route(HEALTH_API, health, methods=["GET"]),
            Route(WEBHOOK_API, stripe_webhook, methods=["POST"]),
            Route(CHECKOUT_API, checkout, methods=["GET"]),
            Route(PORTAL_API, portal, methods=["POST"]),
        ]
    )
