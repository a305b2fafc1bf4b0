"""Starlette routes served beside the Reflex app (health, and later auth and webhooks)."""

from starlette.applications import Starlette
from starlette.routing import Route

from keycraft.api.health import health
from keycraft.api.projects import project_audio, project_midi
from keycraft.routes import HEALTH_API, PROJECT_AUDIO_API, PROJECT_MIDI_API


def build_api() -> Starlette:
    """Return the Starlette app whose routes Reflex matches before its own."""
    return Starlette(
        routes=[
            Route(HEALTH_API, health, methods=["GET"]),
            Route(PROJECT_MIDI_API, project_midi, methods=["GET"]),
            Route(PROJECT_AUDIO_API, project_audio, methods=["GET"]),
        ]
    )
