"""Service settings read from `TRANSCRIBER_`-prefixed environment variables."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from transcriber.domain import MODEL_NAMES

ENV_PREFIX = "TRANSCRIBER_"
FORM_OVERHEAD_BYTES = 64 * 1024
"""Room for the multipart framing and form fields around a recording of the maximum size."""


@dataclass(frozen=True)
class Settings:
    """Runtime configuration.

    Attributes:
        SECRET: Shared secret expected in `X-Transcription-Secret`; empty disables the check.
        METRICS_TOKEN: Bearer token for `GET /metrics`. Empty: metrics are open only while
            `SECRET` is empty too (a local service); with a secret set they are refused.
        THREADS: CPU threads for inference (torch, OpenMP, MKL).
        MAX_UPLOAD_MB: Largest accepted request body, in MiB.
        MAX_DURATION_S: Longest accepted recording, in seconds.
        TIMEOUT_S: Time budget of one transcription, in seconds.
        MODELS: Models loaded at startup, comma separated.
        TMP_DIR: Directory for per-request temporary files.
        FFMPEG: ffmpeg executable used for formats libsndfile cannot read; empty disables it.
        WARM_UP: Whether to run a tiny input through each model at startup.
        LOG_MAX_CHARS: Longest log line written; longer lines are truncated.
    """

    SECRET: str = ""
    METRICS_TOKEN: str = ""
    THREADS: int = 2
    MAX_UPLOAD_MB: float = 100.0
    MAX_DURATION_S: float = 1800.0
    TIMEOUT_S: float = 1800.0
    MODELS: tuple[str, ...] = field(default=MODEL_NAMES)
    TMP_DIR: str = field(default_factory=tempfile.gettempdir)
    FFMPEG: str = "ffmpeg"
    WARM_UP: bool = True
    LOG_MAX_CHARS: int = 2000

    @property
    def max_upload_bytes(self) -> int:
        """Upload limit in bytes."""
        return int(self.MAX_UPLOAD_MB * 1024 * 1024)

    @property
    def max_request_bytes(self) -> int:
        """Request body limit: a recording of the upload limit plus its form must fit.

        Callers (the web app) accept recordings up to the same size; without the margin a
        recording of exactly that size would be refused mid-upload.
        """
        return self.max_upload_bytes + FORM_OVERHEAD_BYTES


def _coerce(name: str, raw: Any, default: Any) -> Any:
    """Convert an environment string (or a test value) to the type of the default."""
    if not isinstance(raw, str):
        value = tuple(raw) if isinstance(default, tuple) else raw
    elif isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
            raise ValueError(f"{ENV_PREFIX}{name} must be a boolean, got {raw!r}")
        value = lowered in {"1", "true", "yes", "on"}
    elif isinstance(default, tuple):
        value = tuple(part.strip() for part in raw.split(",") if part.strip())
    else:
        value = type(default)(raw)
    return value


def load_settings(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Build settings from the environment, then apply overrides.

    Args:
        environ: Environment to read (defaults to `os.environ`).
        overrides: Values keyed by setting name, with or without the `TRANSCRIBER_` prefix.

    Returns:
        Validated settings.

    Raises:
        ValueError: If a value has the wrong type or is out of range.
    """
    env = os.environ if environ is None else environ
    defaults = Settings()
    values: dict[str, Any] = {}
    for f in fields(Settings):
        default = getattr(defaults, f.name)
        raw: Any = env.get(ENV_PREFIX + f.name)
        for key in (f.name, ENV_PREFIX + f.name):
            if overrides and key in overrides:
                raw = overrides[key]
        values[f.name] = default if raw is None else _coerce(f.name, raw, default)
    settings = Settings(**values)
    _validate(settings)
    return settings


def _validate(settings: Settings) -> None:
    if settings.THREADS < 1:
        raise ValueError(f"{ENV_PREFIX}THREADS must be at least 1")
    for name in ("MAX_UPLOAD_MB", "MAX_DURATION_S", "TIMEOUT_S"):
        if getattr(settings, name) <= 0:
            raise ValueError(f"{ENV_PREFIX}{name} must be positive")
    unknown = set(settings.MODELS) - set(MODEL_NAMES)
    if unknown or not settings.MODELS:
        raise ValueError(f"{ENV_PREFIX}MODELS must list some of {', '.join(MODEL_NAMES)}")
