"""Runs one transcription job in a queue worker: claim, transcribe, fill the project once."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

from keycraft.services import project_fill, projects
from keycraft.services.clock import utc_now
from keycraft.services.domain import BeatTrack, ProjectTiming, TimeSignature, TrackedBeat
from keycraft.services.errors import Conflict, DomainError, NotFound
from keycraft.services.jobs.chunk_store import remove_chunks
from keycraft.services.jobs.context import JobContext
from keycraft.services.jobs.errors import PROJECT_GONE, UNAVAILABLE, error_code
from keycraft.services.jobs.model import DONE, FAILED, RUNNING, TranscriptionJob
from keycraft.services.jobs.preview import remove_preview
from keycraft.services.jobs.ranges import (
    BarRange,
    placed_notes,
    placed_pedals,
    range_of,
    replace_saved_range,
    slice_for,
)
from keycraft.services.jobs.watch import chunk_plan, transcribe_chunks_watched, transcribe_watched
from keycraft.services.notes import beat_map
from keycraft.services.projects import project_media_prefix
from keycraft.services.storage.port import Storage
from keycraft.services.transcription.audio_slice import AudioSlice
from keycraft.services.transcription.client import (
    TranscriberBusy,
    TranscriberUnavailable,
    Transcription,
)
from keycraft.services.transcription.recordings import (
    forget_staged,
    notes_from_transcription,
    pedals_from_transcription,
    place_recording,
)

logger = logging.getLogger("keycraft.jobs")

MAX_ATTEMPTS = 40
"""Claims after which a job that keeps meeting a busy or failing transcriber gives up."""
MAX_BACKOFF_S = 60.0
_FILL_RETRIES = 3


def backoff_s(attempts: int, retry_after_s: float | None = None) -> float:
    """Delay before the next try: the service's Retry-After, else doubling from 1 s."""
    if retry_after_s is not None:
        return min(MAX_BACKOFF_S, max(1.0, retry_after_s))
    return min(MAX_BACKOFF_S, float(2 ** max(0, attempts - 1)))


def remove_media(storage: Storage, job: TranscriptionJob) -> None:
    """Delete what the job uploaded: its staged recording, or its project's media."""
    try:
        if job.into_existing:
            forget_staged(storage, job.recording_key)
        else:
            storage.delete_prefix(project_media_prefix(job.user_id, job.project_id))
    except DomainError:
        logger.warning("job_media_not_removed", extra={"job_id": job.id})


def discard_new_project(ctx: JobContext, job: TranscriptionJob) -> None:
    """Undo a job's own project (made empty for it) and its media; keep a project it fills."""
    remove_media(ctx.storage, job)
    if not job.into_existing:
        project = ctx.repository.get_project(job.user_id, job.project_id)
        if project is not None and not project.notes:
            ctx.repository.delete_project(job.user_id, job.project_id)


def _write_range(
    ctx: JobContext, job: TranscriptionJob, bars: BarRange, piece: AudioSlice, result: Transcription
) -> int:
    """Swap the bars' notes in the saved project; replaying this gives the same project."""
    for _ in range(_FILL_RETRIES):
        project = projects.open_project(ctx.repository, job.user_id, job.project_id)
        notes = placed_notes(result.notes, piece, bars, project)
        pedals = placed_pedals(result.pedals, piece, bars, project)
        try:
            return replace_saved_range(ctx.repository, project, bars, notes, utc_now(), pedals)
        except Conflict:
            continue  # saved meanwhile (an editor's autosave): swap the bars in the newer one
    raise Conflict(job.project_id)


def _write_notes(
    ctx: JobContext, job: TranscriptionJob, audio: bytes, result: Transcription
) -> int:
    """Fill the job's project with the notes and pedal: replaying this gives the same project.

    The pedal is replaced with the notes, also by a model that does not hear it (none).
    With tracked beats the project takes the tempo and metre they give (bars on the
    played downbeats) and keeps the beats, so the learner can re-read them; without, the
    notes are placed under the project's own tempo map.
    """
    repo = ctx.repository
    timing = timing_from(result)
    for _ in range(_FILL_RETRIES):
        project = projects.open_project(repo, job.user_id, job.project_id)
        # Beats tracked in an earlier recording do not belong to this one.
        reading = timing or replace(project.timing, beat_track=BeatTrack())
        notes = notes_from_transcription(
            result.notes, reading.tempo_bpm, tempo_changes=reading.tempo_changes
        )
        pedals = pedals_from_transcription(
            result.pedals, reading.tempo_bpm, tempo_changes=reading.tempo_changes
        )
        audio_key = place_recording(
            ctx.storage, audio, job.recording_key, job.user_id, job.project_id
        )
        try:
            project_fill.fill_saved_project(
                repo,
                job.user_id,
                job.project_id,
                notes,
                utc_now(),
                source_audio_key=audio_key,
                pedals=pedals,
                timing=reading,
            )
        except Conflict:
            continue  # saved meanwhile (an editor's autosave): fill the newer version
        return len(notes)
    raise Conflict(job.project_id)


def timing_from(result: Transcription) -> ProjectTiming | None:
    """The tempo and metre the transcription's tracked beats give; None without enough."""
    track = beat_map.tracked(
        [TrackedBeat(b.time_s, b.downbeat) for b in result.beats], result.meter
    )
    if not beat_map.usable(track):
        return None
    try:
        projects.check_time_signature(track.meter)
    except DomainError:
        track = replace(track, meter=TimeSignature())
    try:
        return beat_map.checked_timing(track)
    except (ValueError, DomainError):  # beats no map can hold: the notes open as before
        logger.warning("beat_map_refused", extra={"beats": len(track.beats)})
        return None


def _tell_finished(ctx: JobContext, user_id: str, job_id: str) -> None:
    """Hand the ended job to ``on_finished``; its failure never undoes the job's outcome."""
    assert ctx.on_finished is not None
    try:
        ended = ctx.repository.get_transcription_job(user_id, job_id)
        if ended is not None:
            ctx.on_finished(ended)
    except Exception:  # a notice is a courtesy: log it and keep the worker going
        logger.exception("job_finished_hook_failed", extra={"job_id": job_id})


async def run_job(ctx: JobContext, user_id: str, job_id: str) -> str | None:
    """Run the job if it can be claimed; return the status it ended with, if it ended.

    A busy (429) or failing (5xx, unreachable) transcriber puts the job back in the queue
    with backoff; a refused recording ends it as failed with the service's reason.
    """
    repo = ctx.repository
    now = utc_now()
    claim_id = uuid.uuid4().hex
    lease = now + timedelta(seconds=ctx.lease_s)
    job = await asyncio.to_thread(
        repo.claim_transcription_job, user_id, job_id, claim_id, now, lease
    )
    if job is None:
        return None  # taken, finished or cancelled: a duplicate delivery does nothing

    async def finish(status: str, error: str = "", note_count: int = 0) -> str | None:
        # Gone before the job ends: whoever sees the job ended finds no preview left over.
        await asyncio.to_thread(remove_preview, ctx.storage, job_id)
        await asyncio.to_thread(remove_chunks, ctx.storage, job_id)
        ended = await asyncio.to_thread(
            repo.finish_transcription_job,
            user_id,
            job_id,
            claim_id,
            status,
            utc_now(),
            error=error,
            note_count=note_count,
        )
        if status != DONE:
            await asyncio.to_thread(discard_new_project, ctx, job)
        if not ended:
            return None
        if ctx.on_finished is not None:
            await asyncio.to_thread(_tell_finished, ctx, user_id, job_id)
        return status

    try:
        return await _run_claimed(ctx, job, now, finish)
    finally:
        # Also when the job is handed back or was taken over: a retry writes a fresh one.
        await asyncio.to_thread(remove_preview, ctx.storage, job_id)


async def _run_claimed(
    ctx: JobContext,
    job: TranscriptionJob,
    now: datetime,
    finish: Callable[..., Awaitable[str | None]],
) -> str | None:
    """Transcribe a claimed job and fill its project; ``finish`` records how it ended."""
    repo = ctx.repository
    user_id, job_id, claim_id = job.user_id, job.id, job.claim_id
    bars = range_of(job)
    piece: AudioSlice | None = None
    try:
        audio = await asyncio.to_thread(ctx.storage.get, job.recording_key)
        spans = await asyncio.to_thread(chunk_plan, ctx, job, audio) if bars is None else []
        if len(spans) > 1:
            result = await transcribe_chunks_watched(ctx, job, audio, spans)
        elif bars is None:
            result = await transcribe_watched(ctx, job, audio)
        else:
            # Only the bars (and a little context) go to the transcriber.
            piece = await asyncio.to_thread(slice_for, audio, job.recording_key, bars)
            result = await transcribe_watched(ctx, job, piece.wav_bytes, ".wav")
    except (TranscriberBusy, TranscriberUnavailable) as exc:
        if job.attempts >= MAX_ATTEMPTS:
            return await finish(FAILED, UNAVAILABLE)
        retry_after = float(exc.retry_after_s) if isinstance(exc, TranscriberBusy) else None
        if await asyncio.to_thread(repo.release_transcription_job, user_id, job_id, claim_id, now):
            ctx.queue.enqueue(user_id, job_id, backoff_s(job.attempts, retry_after))
        return None
    except DomainError as exc:
        return await finish(FAILED, error_code(exc))
    if result is None:
        await asyncio.to_thread(discard_new_project, ctx, job)
        return None
    try:
        if bars is not None and piece is not None:
            count = await asyncio.to_thread(_write_range, ctx, job, bars, piece, result)
        else:
            count = await asyncio.to_thread(_write_notes, ctx, job, audio, result)
    except NotFound:
        return await finish(FAILED, PROJECT_GONE)
    except DomainError:
        return await finish(FAILED, UNAVAILABLE)
    return await finish(DONE, note_count=count)


STALE_QUEUED_S = 30.0
"""A queued job untouched this long may have lost its queue message: send it again."""


def recover_jobs(ctx: JobContext, *, everything: bool) -> int:
    """Re-send jobs whose queue message may be lost; return how many were sent.

    At worker start (``everything``) every queued job and every running job whose lease has
    passed is sent again; afterwards only those idle for ``STALE_QUEUED_S``. A second message
    for a job that is still queued costs one refused claim.
    """
    now = utc_now()
    sent = 0
    for job in ctx.repository.list_active_transcription_jobs():
        if job.status == RUNNING:
            due = job.lease_until is None or job.lease_until < now
        else:
            due = everything or (now - job.updated_at).total_seconds() > STALE_QUEUED_S
        if due:
            ctx.queue.enqueue(job.user_id, job.id)
            sent += 1
    return sent
