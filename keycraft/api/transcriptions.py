"""Transcription jobs as JSON: start one into a project, follow it, cancel it.

``POST /api/projects/{project_id}/transcriptions`` (multipart ``audio``, optional ``model``)
answers 202 with the queued job (429 ``too_many_jobs`` or ``minutes_spent`` when refused);
``GET /api/transcriptions/{job_id}`` reports status, queue position, progress, time elapsed
and left, and the notes (found so far while running, final once done, with the sustain
pedal's spans); ``DELETE`` cancels.
The session cookie names the user; state-changing calls must come from a trusted origin.
"""

from __future__ import annotations

from typing import Any, cast, get_args

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from keycraft.api.auth_http import (
    csrf_protected,
)
from keycraft.api.request_user import blocking, current_user
from keycraft.api.upload_guard import FORM_OVERHEAD_BYTES
from keycraft.routes import PRICING, editor_url, transcription_api_url
from keycraft.services import usage_limits
from keycraft.services.auth.types import RateLimited
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.domain import Note, PedalSpan, User
from keycraft.services.errors import DomainError, NotFound, StorageUnavailable
from keycraft.services.jobs.errors import MinutesSpent, TooManyJobs
from keycraft.services.jobs.live import LiveProgress, live_progress
from keycraft.services.jobs.minutes import minutes_text
from keycraft.services.jobs.model import DONE, RUNNING
from keycraft.services.jobs.submit import (
    DEFAULT_MODEL,
    JobView,
    cancel_job,
    submit_recording_into_project,
    view_job,
)
from keycraft.services.transcription.client import TranscriberModel
from keycraft.services.transcription.recordings import (
    MAX_AUDIO_BYTES,
    AudioFileTooLarge,
    EmptyAudioFile,
    UnsupportedAudioFile,
)
from keycraft.services.usage_limits import UPLOADS_PER_USER

MODELS: tuple[str, ...] = get_args(TranscriberModel)
MAX_BODY_BYTES = MAX_AUDIO_BYTES + FORM_OVERHEAD_BYTES
_NO_STORE = {"Cache-Control": "no-store"}


def _error(status: int, code: str, message: str, **headers: str) -> JSONResponse:
    return JSONResponse(
        {"error": code, "message": message}, status, headers={**_NO_STORE, **headers}
    )


def _unauthorized() -> JSONResponse:
    return _error(401, "unauthorized", "Sign in to transcribe recordings.")


def _minutes_spent(spent: MinutesSpent) -> JSONResponse:
    """429 for a recording longer than the month's transcription minutes left."""
    needed = minutes_text(spent.needed_s, round_up=True)
    left = minutes_text(max(0, spent.allowance_s - spent.used_s))
    return JSONResponse(
        {
            "error": "minutes_spent",
            "message": (
                f"That recording needs {needed} min of transcription; {left} of your plan's "
                f"{spent.allowance_s // 60} min are left this month."
            ),
            "used_s": spent.used_s,
            "allowance_s": spent.allowance_s,
            "needed_s": spent.needed_s,
            "upgrade_url": PRICING.path,
        },
        429,
        headers=_NO_STORE,
    )


def _no_job() -> JSONResponse:
    return _error(404, "not_found", "No such transcription.")


def _note_json(note: Note) -> dict[str, int]:
    return {
        "start_tick": note.start_tick,
        "duration_ticks": note.duration_ticks,
        "pitch_midi": note.pitch_midi,
        "velocity": note.velocity,
    }


def _pedal_json(span: PedalSpan) -> dict[str, int]:
    return {"start_tick": span.start_tick, "end_tick": span.end_tick}


def job_json(
    view: JobView,
    notes: tuple[Note, ...] | None = None,
    live: LiveProgress | None = None,
    pedals: tuple[PedalSpan, ...] | None = None,
) -> dict[str, Any]:
    """The job as the API shows it.

    ``notes`` when given (so far, or final once done); ``pedals`` (sustain-pedal spans in
    ticks) once done.
    """
    job = view.job
    body: dict[str, Any] = {
        "id": job.id,
        "project_id": job.project_id,
        "status": job.status,
        "position": view.position,
        "progress_percent": job.percent,
        "progress_done": job.progress_done,
        "progress_total": job.progress_total,
        "note_count": job.note_count,
        "error": job.error or None,
        "elapsed_s": round(view.elapsed_s, 3),
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "model": job.options.get("model"),
        "url": transcription_api_url(job.id),
        "project_url": editor_url(job.project_id),
    }
    estimate_s = live.estimate_s if live is not None else None
    body["estimate_s"] = round(estimate_s, 1) if estimate_s is not None else None
    if notes is not None:
        body["notes"] = [_note_json(n) for n in notes]
    if pedals is not None:
        body["pedals"] = [_pedal_json(p) for p in pedals]
    return body


async def _audio_part(request: Request) -> tuple[str, str, bytes, str] | Response:
    """(filename, content type, bytes, model) from the form, or the response refusing it."""
    async with request.form(max_files=1, max_fields=4) as form:
        upload = form.get("audio")
        model = form.get("model") or DEFAULT_MODEL
        if not isinstance(upload, UploadFile):
            return _error(422, "audio_missing", "Send the recording in the 'audio' field.")
        if not isinstance(model, str) or model not in MODELS:
            return _error(422, "unknown_model", f"Choose a model: {', '.join(MODELS)}.")
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if content_type and not (
            content_type.startswith("audio/")
            or content_type in ("video/webm", "application/octet-stream")
        ):
            return _error(415, "unsupported_audio", "Send a WAV, MP3, FLAC, OGG, M4A or WebM file.")
        data = await upload.read(MAX_AUDIO_BYTES + 1)
        return upload.filename or "recording", content_type, data, model


def _refuse_by_length(request: Request) -> Response | None:
    """411 without a Content-Length, 413 over the limit: decided before the body is read."""
    announced = request.headers.get("content-length", "")
    if not announced.isdigit():
        return _error(411, "length_required", "Send the recording with a Content-Length.")
    if int(announced) > MAX_BODY_BYTES:
        return _error(413, "audio_too_large", "That recording is larger than 100 MB.")
    return None


def _refusal(error: DomainError, max_active: int) -> Response:
    """The answer for a recording or job the service refused."""
    if isinstance(error, MinutesSpent):
        return _minutes_spent(error)
    if isinstance(error, TooManyJobs):
        waiting = f"You already have {max_active} transcriptions waiting or running."
        return _error(429, "too_many_jobs", waiting)
    refusals: dict[type[DomainError], tuple[int, str, str]] = {
        NotFound: (404, "not_found", "No such project."),
        UnsupportedAudioFile: (
            415,
            "unsupported_audio",
            "Send a WAV, MP3, FLAC, OGG, M4A or WebM file.",
        ),
        AudioFileTooLarge: (413, "audio_too_large", "That recording is larger than 100 MB."),
        EmptyAudioFile: (422, "audio_empty", "That recording is empty."),
        StorageUnavailable: (503, "storage_unavailable", "The recording could not be stored."),
    }
    for kind, (status, code, message) in refusals.items():
        if isinstance(error, kind):
            return _error(status, code, message)
    raise error


@csrf_protected
async def start_transcription(request: Request) -> Response:
    """Queue a transcription of the uploaded recording into the user's project (202)."""
    user = await current_user(request)
    if user is None:
        return _unauthorized()
    too_long = _refuse_by_length(request)
    if too_long is not None:
        return too_long
    services = get_services()
    try:
        await blocking(
            usage_limits.charge, services.repository, UPLOADS_PER_USER, user.id, utc_now()
        )
    except RateLimited as limited:
        return _error(
            429,
            "too_many_uploads",
            "Too many uploads. Please wait a few minutes.",
            **{"Retry-After": str(limited.retry_after_s)},
        )
    part = await _audio_part(request)
    if isinstance(part, Response):
        return part
    filename, _, data, model = part
    try:
        job = await blocking(
            lambda: submit_recording_into_project(
                services.repository,
                services.storage,
                services.jobs,
                user_id=user.id,
                project_id=request.path_params["project_id"],
                filename=filename,
                audio=data,
                model=cast(TranscriberModel, model),
                now=utc_now(),
                max_active=services.settings.max_active_jobs_per_user,
                plans=services.plans,
            )
        )
    except DomainError as refused:
        return _refusal(refused, services.settings.max_active_jobs_per_user)
    view = await blocking(view_job, services.repository, job, utc_now())
    return JSONResponse(
        job_json(view),
        202,
        headers={**_NO_STORE, "Location": transcription_api_url(job.id)},
    )


async def _own_job_view(
    user: User, job_id: str
) -> tuple[JobView, tuple[Note, ...] | None, LiveProgress, tuple[PedalSpan, ...] | None] | None:
    services = get_services()
    repo = services.repository
    job = await blocking(repo.get_transcription_job, user.id, job_id)
    if job is None:
        return None
    now = utc_now()
    view = await blocking(view_job, repo, job, now)
    live = await blocking(live_progress, repo, services.storage, job, now)
    notes = pedals = None
    if job.status == DONE:
        project = await blocking(repo.get_project, user.id, job.project_id)
        notes = project.notes if project is not None else ()
        pedals = project.pedals if project is not None else ()
    elif job.status == RUNNING:
        notes = live.notes
    return view, notes, live, pedals


async def get_transcription(request: Request) -> Response:
    """Report one of the user's jobs: status, position, progress, notes once done."""
    user = await current_user(request)
    if user is None:
        return _unauthorized()
    found = await _own_job_view(user, request.path_params["job_id"])
    if found is None:
        return _no_job()
    return JSONResponse(job_json(*found), headers=_NO_STORE)


@csrf_protected
async def delete_transcription(request: Request) -> Response:
    """Cancel one of the user's jobs; a job that already ended is reported as it is."""
    user = await current_user(request)
    if user is None:
        return _unauthorized()
    job_id = request.path_params["job_id"]
    services = get_services()
    try:
        await blocking(
            cancel_job, services.repository, services.storage, user.id, job_id, utc_now()
        )
    except NotFound:
        return _no_job()
    found = await _own_job_view(user, job_id)
    if found is None:
        return _no_job()
    return JSONResponse(job_json(*found), headers=_NO_STORE)
