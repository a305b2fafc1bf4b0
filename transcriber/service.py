"""Per-app service state kept in `app.extensions`."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from flask import Flask, current_app

from transcriber.config import Settings
from transcriber.models.base import TranscriptionModel

EXTENSION_KEY = "transcriber"


@dataclass
class ServiceState:
    """Loaded models, the single-flight lock and the request logger.

    Attributes:
        settings: Effective configuration.
        models: Loaded models by name.
        busy: Held while a transcription runs; the service transcribes one file at a time.
        logger: Structured request logger.
        ready: True once every model is loaded and warmed.
    """

    settings: Settings
    models: dict[str, TranscriptionModel]
    logger: logging.Logger
    busy: threading.Lock = field(default_factory=threading.Lock)
    ready: bool = False


def state(app: Flask | None = None) -> ServiceState:
    """Return the service state of `app` (default: the current app)."""
    target = app if app is not None else current_app
    svc: ServiceState = target.extensions[EXTENSION_KEY]
    return svc
