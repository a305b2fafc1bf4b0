"""One transcription job: an id shared with the transcriber, its timing metric and log lines."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid

from keycraft.services.logs import request_id_var
from keycraft.services.metrics import TRANSCRIPTION_SECONDS
from keycraft.services.transcription.client import (
    ProgressCallback,
    TranscriberClient,
    Transcription,
    TranscriptionOptions,
    TranscriptionTimedOut,
)

JOB_STARTED_MESSAGE = "transcription_started"
JOB_FINISHED_MESSAGE = "transcription_finished"
logger = logging.getLogger("keycraft.transcription")


def _outcome(error: BaseException | None) -> str:
    if error is None:
        return "ok"
    if isinstance(error, TranscriptionTimedOut):
        return "timeout"
    if isinstance(error, asyncio.CancelledError):
        return "cancelled"
    return "failed"


async def run_transcription(
    client: TranscriberClient,
    audio: bytes,
    filename: str,
    content_type: str,
    options: TranscriptionOptions,
    on_progress: ProgressCallback | None = None,
) -> Transcription:
    """Send one recording to the transcriber, timed, logged and traced by one id.

    With ``on_progress`` the service streams its parts, and each is handed to it.

    The id is the current request's when there is one; a background job (which has none)
    gets a fresh one. Run this as its own task: the id is then set for this job only.

    Raises:
        TranscriptionError: whatever the client raises, after it is counted and logged.
    """
    job_id = request_id_var.get() or uuid.uuid4().hex
    token = request_id_var.set(job_id)
    started = time.perf_counter()
    logger.info(JOB_STARTED_MESSAGE, extra={"model": options.model, "audio_bytes": len(audio)})
    error: BaseException | None = None
    notes: int | None = None
    try:
        if on_progress is None:
            result = await client.transcribe(audio, filename, content_type, options)
        else:
            result = await client.transcribe_streaming(
                audio, filename, content_type, options, on_progress
            )
        notes = len(result.notes)
        return result
    except BaseException as exc:  # cancellation too: it is an outcome worth counting
        error = exc
        raise
    finally:
        elapsed_s = time.perf_counter() - started
        outcome = _outcome(error)
        TRANSCRIPTION_SECONDS.labels(outcome).observe(elapsed_s)
        logger.info(
            JOB_FINISHED_MESSAGE,
            extra={
                "model": options.model,
                "outcome": outcome,
                "duration_ms": round(elapsed_s * 1000, 1),
                "notes": notes,
                "error": type(error).__name__ if error is not None else None,
            },
        )
        request_id_var.reset(token)
