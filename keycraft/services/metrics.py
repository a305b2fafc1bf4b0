"""Prometheus metrics of the app; services increment them, ``GET /metrics`` exposes them."""

from __future__ import annotations

import logging
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

HTTP_REQUESTS = Counter(
    "keycraft_http_requests",
    "HTTP requests answered, by API route template (other paths are 'app'), method and status.",
    ["route", "method", "status"],
)
HTTP_REQUEST_SECONDS = Histogram(
    "keycraft_http_request_duration_seconds",
    "Time from request start to the end of the response body.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
QUOTA_DENIALS = Counter(
    "keycraft_quota_denials",
    "MIDI downloads refused because the monthly quota was used up.",
    ["plan"],
)
DOWNLOADS = Counter(
    "keycraft_downloads",
    "MIDI downloads granted (a short-lived link was issued).",
    ["storage"],
)
WEBHOOK_EVENTS = Counter(
    "keycraft_webhook_events",
    "Billing webhook deliveries by outcome: processed, duplicate, ignored, invalid, failed.",
    ["outcome"],
)
TRANSCRIPTION_SECONDS = Histogram(
    "keycraft_transcription_seconds",
    "Wall time the app waited for one transcription, by outcome (ok, failed, timeout).",
    ["outcome"],
    buckets=(1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800),
)
"""Count a transcription with ``TRANSCRIPTION_SECONDS.labels(outcome).observe(seconds)``."""

WEBHOOK_OUTCOMES = ("processed", "duplicate", "ignored", "invalid", "failed")
WEBHOOK_LOG_MESSAGE = "webhook_event"
"""Message of the log line per webhook; CloudWatch metric filters count its ``outcome``."""

_webhook_logger = logging.getLogger("keycraft.webhooks")


def record_webhook_outcome(outcome: str, event_type: str = "") -> None:
    """Count one billing webhook delivery and log it (the CloudWatch alarm reads the log line).

    Args:
        outcome: One of ``WEBHOOK_OUTCOMES``.
        event_type: The provider's event type, e.g. ``customer.subscription.updated``.
    """
    if outcome not in WEBHOOK_OUTCOMES:
        raise ValueError(f"unknown webhook outcome {outcome!r}")
    WEBHOOK_EVENTS.labels(outcome).inc()
    level = logging.ERROR if outcome == "failed" else logging.INFO
    _webhook_logger.log(
        level, WEBHOOK_LOG_MESSAGE, extra={"outcome": outcome, "event_type": event_type}
    )


def render_metrics(multiprocess_dir: Path | None) -> tuple[bytes, str]:
    """Return the exposition text and its content type.

    Args:
        multiprocess_dir: ``PROMETHEUS_MULTIPROC_DIR`` when several worker processes serve the
            app; their samples are merged from that folder, so any worker answers for all.
    """
    if multiprocess_dir is None:
        return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(multiprocess_dir))
    return generate_latest(registry), CONTENT_TYPE_LATEST
