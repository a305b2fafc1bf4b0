"""A job's transcriber requests, watched: progress written, lease kept, cancel obeyed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable
from datetime import timedelta

from keycraft.services.clock import utc_now
from keycraft.services.errors import DomainError
from keycraft.services.jobs.chunk_store import remove_chunks
from keycraft.services.jobs.chunked import transcribe_in_chunks
from keycraft.services.jobs.chunks import ChunkSpan, plan_chunks
from keycraft.services.jobs.context import JobContext, options_from
from keycraft.services.jobs.model import CANCELLED, RUNNING, TranscriptionJob
from keycraft.services.jobs.preview import JobPreview, write_preview
from keycraft.services.jobs.ranges import range_of
from keycraft.services.transcription.audio_duration import recording_duration_s
from keycraft.services.transcription.audio_slice import AudioSlice
from keycraft.services.transcription.client import (
    ProgressCallback,
    TranscribedNote,
    Transcription,
    TranscriptionProgress,
)
from keycraft.services.transcription.job_tracking import run_transcription
from keycraft.services.transcription.recordings import AUDIO_TYPES

logger = logging.getLogger("keycraft.jobs")

WATCH_INTERVAL_S = 1.0
"""How often a running job checks for cancellation: the transcriber stops within seconds."""
PROGRESS_INTERVAL_S = 1.0
"""Progress is written at most this often (a fast model's parts come many a second)."""


class ProgressRecorder:
    """Keeps a job's progress and settled notes as the transcriber streams its parts."""

    def __init__(self, ctx: JobContext, job: TranscriptionJob) -> None:
        self._ctx = ctx
        self._job = job
        self._started_epoch_s = time.time()
        self._notes: list[TranscribedNote] = []
        self._last_write = float("-inf")
        # Bars being re-transcribed show progress but no preview: the slice's notes are in
        # its own time, and the roll keeps showing the learner's other bars meanwhile.
        self._keep_notes = range_of(job) is None

    async def __call__(self, progress: TranscriptionProgress) -> None:
        """Take one streamed part; write it unless the last write was under a second ago."""
        if self._keep_notes:
            self._notes.extend(progress.new_notes)
        moment = time.monotonic()
        # The first part (the length, for the estimate) and the last are always written.
        edge = progress.done in (0, progress.total)
        if not edge and moment - self._last_write < PROGRESS_INTERVAL_S:
            return
        self._last_write = moment
        preview = JobPreview(
            done=progress.done,
            total=progress.total,
            duration_s=progress.duration_s,
            started_epoch_s=self._started_epoch_s,
            notes=tuple(self._notes),
        )
        await asyncio.to_thread(self._write, preview)

    def _write(self, preview: JobPreview) -> None:
        job, now = self._job, utc_now()
        write_preview(self._ctx.storage, job.id, preview)
        try:
            self._ctx.repository.record_transcription_progress(
                job.user_id,
                job.id,
                job.claim_id,
                preview.done,
                preview.total,
                now,
                now + timedelta(seconds=self._ctx.lease_s),
            )
        except DomainError:  # progress is a courtesy; the watch loop notices a lost claim
            logger.warning("job_progress_not_recorded", extra={"job_id": job.id})


def _send(
    ctx: JobContext,
    job: TranscriptionJob,
    audio: bytes,
    suffix: str,
    on_progress: ProgressCallback,
    part: str = "",
) -> Awaitable[Transcription]:
    """One transcriber request for the job's options (``part`` names a chunk's file)."""
    stem = job.filename.rsplit(".", 1)[0] or "recording"
    return run_transcription(
        ctx.transcriber,
        audio,
        f"{stem}{part}{suffix}",
        AUDIO_TYPES.get(suffix, "application/octet-stream"),
        options_from(job),
        on_progress,
    )


async def transcribe_watched(
    ctx: JobContext, job: TranscriptionJob, audio: bytes, suffix: str = ""
) -> Transcription | None:
    """Transcribe while watching the job; None when it was cancelled or taken over.

    ``suffix`` names the audio's format when it is not the stored recording's (a slice).
    """
    suffix = suffix or job.recording_key[job.recording_key.rfind(".") :]
    return await _watched(ctx, job, _send(ctx, job, audio, suffix, ProgressRecorder(ctx, job)))


async def transcribe_chunks_watched(
    ctx: JobContext, job: TranscriptionJob, audio: bytes, spans: list[ChunkSpan]
) -> Transcription | None:
    """Transcribe the recording in chunks (parallel requests) while watching the job."""

    def request(
        span: ChunkSpan, piece: AudioSlice, on_progress: ProgressCallback
    ) -> Awaitable[Transcription]:
        return _send(ctx, job, piece.wav_bytes, piece.suffix, on_progress, f"-{span.index + 1}")

    suffix = job.recording_key[job.recording_key.rfind(".") :]
    work = transcribe_in_chunks(
        ctx.storage,
        job.id,
        audio,
        suffix,
        spans,
        ctx.chunks.parallel,
        request,
        ProgressRecorder(ctx, job),
    )
    return await _watched(ctx, job, work)


def chunk_plan(ctx: JobContext, job: TranscriptionJob, audio: bytes) -> list[ChunkSpan]:
    """The chunks the job's recording is sent in (one when short or of unknown length)."""
    duration_s = recording_duration_s(audio, job.recording_key[job.recording_key.rfind(".") :])
    if duration_s is None:
        return [ChunkSpan(0, 0.0, 0.0)]
    return plan_chunks(duration_s, ctx.chunks)


async def _watched(
    ctx: JobContext, job: TranscriptionJob, work: Awaitable[Transcription]
) -> Transcription | None:
    """Run ``work`` while watching the job; None when it was cancelled or taken over."""
    repo = ctx.repository
    task = asyncio.ensure_future(work)
    last_beat = utc_now()
    while True:
        await asyncio.wait({task}, timeout=WATCH_INTERVAL_S)
        if task.done():
            return task.result()
        now = utc_now()
        current = await asyncio.to_thread(repo.get_transcription_job, job.user_id, job.id)
        held = current is not None and current.status == RUNNING
        if held and current is not None and current.claim_id == job.claim_id:
            if (now - last_beat).total_seconds() >= ctx.lease_s / 3:
                held = await asyncio.to_thread(
                    repo.record_transcription_progress,
                    job.user_id,
                    job.id,
                    job.claim_id,
                    current.progress_done,
                    current.progress_total,
                    now,
                    now + timedelta(seconds=ctx.lease_s),
                )
                last_beat = now
            if held:
                continue
        # Cancelled, or another worker owns it now: closing the connection stops the service.
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, DomainError):
            await task
        if current is None or current.status == CANCELLED:
            await asyncio.to_thread(remove_chunks, ctx.storage, job.id)
        return None
