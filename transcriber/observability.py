"""Request ids, the per-request log line and metrics, and the record of each transcription."""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, Response, g, request

from transcriber.metrics import (
    AUDIO_SECONDS,
    BUSY_REJECTIONS,
    ERRORS,
    HTTP_REQUEST_SECONDS,
    HTTP_REQUESTS,
    TRANSCRIPTION_SECONDS,
    TRANSCRIPTIONS,
    UNMATCHED_ROUTE,
)
from transcriber.request_log import (
    REQUEST_EVENT,
    REQUEST_ID_HEADER,
    TRANSCRIPTION_EVENT,
    log_event,
    request_id_from,
)
from transcriber.service import state

BUSY_CODE = "busy"
OK_OUTCOME = "ok"
CLIENT_GONE_OUTCOME = "client_gone"
"""Outcome (and error kind) of a transcription stopped because its caller disconnected."""


@dataclass
class StreamOutcome:
    """How a streamed answer ended, known only once its stream closes.

    Attributes:
        error: The error code (``client_gone`` for a caller that left), or None.
        notes: Notes sent in the result line, when there was one.
    """

    error: str | None = None
    notes: int | None = None


STREAM_OUTCOME_KEY = "stream_outcome"
"""Where a streaming view leaves its ``StreamOutcome`` on ``g``: the request's log line then
waits for the stream to end."""


def register_observability(app: Flask) -> None:
    """Give every request an id (echoed in ``X-Request-ID``), a log line and its metrics."""

    @app.before_request
    def start_request() -> None:
        g.started = time.perf_counter()
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))

    @app.after_request
    def finish_request(response: Response) -> Response:
        elapsed_s = time.perf_counter() - g.get("started", time.perf_counter())
        # A request that failed before ``before_request`` ran still gets an id.
        request_id = g.get("request_id") or request_id_from(None)
        g.request_id = request_id
        response.headers[REQUEST_ID_HEADER] = request_id
        route = request.url_rule.rule if request.url_rule is not None else UNMATCHED_ROUTE
        HTTP_REQUESTS.labels(route, request.method, str(response.status_code)).inc()
        HTTP_REQUEST_SECONDS.labels(route, request.method).observe(elapsed_s)
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(elapsed_s * 1000, 1),
            "bytes_in": request.content_length or 0,
            "model": g.get("model"),
            "audio_s": g.get("audio_duration_s"),
        }
        streamed: StreamOutcome | None = g.get(STREAM_OUTCOME_KEY)
        if streamed is not None:
            _log_when_closed(response, request_id, g.get("started", time.perf_counter()), fields)
            return response
        error = g.get("error")
        _count_error(error)
        log_event(state().logger, REQUEST_EVENT, **fields, notes=g.get("notes"), error=error)
        return response

    def _log_when_closed(
        response: Response, request_id: str, started: float, fields: dict[str, object]
    ) -> None:
        """Log a streamed request once its stream has closed, with how the stream ended."""
        logger = state().logger
        streamed: StreamOutcome = g.get(STREAM_OUTCOME_KEY)

        def log_line() -> None:
            fields["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
            _count_error(streamed.error)
            log_event(
                logger,
                REQUEST_EVENT,
                request_id=request_id,
                **fields,
                notes=streamed.notes,
                error=streamed.error,
            )

        # After the stream's own closing (registered earlier), which settles the outcome.
        response.call_on_close(log_line)


def _count_error(error: str | None) -> None:
    if error:
        ERRORS.labels(error).inc()
        if error == BUSY_CODE:
            BUSY_REJECTIONS.inc()


def record_transcription(
    model: str,
    processing_s: float,
    outcome: str,
    audio_s: float | None,
    notes: int | None,
    request_id: str | None = None,
) -> None:
    """Count and log one transcription that reached the model.

    Args:
        model: The model's name.
        processing_s: Decoding plus inference time, in seconds.
        outcome: ``ok``, the error code the request is answered with, or ``client_gone``.
        audio_s: Length of the decoded recording in seconds; None if decoding failed.
        notes: Notes found; None unless the transcription succeeded.
        request_id: The request's id, when logged after its request context ended.
    """
    TRANSCRIPTION_SECONDS.labels(model).observe(processing_s)
    TRANSCRIPTIONS.labels(model, outcome).inc()
    if outcome == OK_OUTCOME and audio_s is not None:
        AUDIO_SECONDS.labels(model).inc(audio_s)
    extra = {"request_id": request_id} if request_id else {}
    log_event(
        state().logger,
        TRANSCRIPTION_EVENT,
        **extra,
        model=model,
        outcome=outcome,
        processing_ms=round(processing_s * 1000, 1),
        audio_s=audio_s,
        notes=notes,
    )
