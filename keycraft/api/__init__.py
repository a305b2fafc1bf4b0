"""Starlette routes served beside the Reflex app (health, and later auth and webhooks)."""

from starlette.applications import Starlette
from starlette.routing import Route

from keycraft.api.experiments import experiment_csv
from keycraft.api.health import health
from keycraft.api.seo import robots, sitemap
from keycraft.routes import EXPERIMENT_CSV_API, HEALTH_API, ROBOTS_TXT, SITEMAP_XML


def build_api() -> Starlette:
    """Return the Starlette app whose routes Reflex matches before its own."""
    return Starlette(
        routes=[
            Route(HEALTH_API, health, methods=["GET"]),
            Route(ROBOTS_TXT, robots, methods=["GET"]),
            Route(SITEMAP_XML, sitemap, methods=["GET"]),
            Route(EXPERIMENT_CSV_API, experiment_csv, methods=["GET"]),
        ]
    )
