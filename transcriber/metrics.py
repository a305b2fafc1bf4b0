"""Prometheus metrics of the transcription service, exposed at ``GET /metrics``.

The service runs one gunicorn worker by design (one transcription at a time per instance), so
the samples live in this process; no multiprocess folder is needed.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)

REGISTRY = CollectorRegistry()
"""The service's own registry, so the exposition holds only its metrics (and process ones)."""
ProcessCollector(registry=REGISTRY)

UNMATCHED_ROUTE = "unmatched"
"""Route label of requests no endpoint matched (404s), keeping label values bounded."""

HTTP_REQUESTS = Counter(
    "transcriber_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
HTTP_REQUEST_SECONDS = Histogram(
    "transcriber_http_request_duration_seconds",
    "Time from the start of a request to its response, by route template and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800),
    registry=REGISTRY,
)
TRANSCRIPTION_SECONDS = Histogram(
    "transcriber_transcription_seconds",
    "Decoding plus inference time of one transcription that reached the model, by model.",
    ["model"],
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800),
    registry=REGISTRY,
)
TRANSCRIPTIONS = Counter(
    "transcriber_transcriptions",
    "Transcriptions that reached the model, by model and outcome "
    "(ok, the error code, or client_gone when the caller hung up).",
    ["model", "outcome"],
    registry=REGISTRY,
)
AUDIO_SECONDS = Counter(
    "transcriber_audio_seconds",
    "Seconds of audio transcribed successfully, by model.",
    ["model"],
    registry=REGISTRY,
)
BUSY_REJECTIONS = Counter(
    "transcriber_busy_rejections",
    "Transcription requests refused with 429 because another one was running.",
    registry=REGISTRY,
)
ERRORS = Counter(
    "transcriber_errors",
    "Error responses by kind (the stable error code of the JSON body).",
    ["kind"],
    registry=REGISTRY,
)


def render_metrics() -> tuple[bytes, str]:
    """Return the exposition text of every metric and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
