"""Project files over HTTP: ``GET /api/projects/{id}/midi`` and ``.../audio``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from keycraft.api.request_user import blocking, current_user
from keycraft.routes import PRICING
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.downloads import (
    EXPORT_FAILED_MESSAGE,
    QuotaExhausted,
    export_project_midi,
)
from keycraft.services.errors import NotFound, StorageUnavailable
from keycraft.services.metrics import DOWNLOADS, QUOTA_DENIALS
from keycraft.services.notes.midi_io import MidiExportFailed

AUDIO_TYPES = {
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".flac": "audio/flac",
    ".ogg": "audio/ogg",
    ".m4a": "audio/mp4",
    ".webm": "audio/webm",
}


def _error(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    return JSONResponse(
        {"error": code, "message": message, **extra},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


async def project_midi(request: Request) -> Response:
    """Send the signed-in user's project as a MIDI file, counting one download."""
    user = await current_user(request)
    if user is None:
        return _error(401, "unauthorized", "Sign in to download MIDI.")
    project_id = request.path_params["project_id"]
    services = get_services()
    try:
        # The file goes to the media store and the browser follows a short-lived link to it
        # (a signed local link, a presigned S3 URL or a signed CloudFront URL).
        delivered = await blocking(
            export_project_midi,
            services.repository,
            services.storage,
            user.id,
            project_id,
            utc_now(),
            link_ttl_s=services.settings.download_link_ttl_s,
            plans=services.plans.plans,
        )
    except NotFound:
        return _error(404, "not_found", "No such project.")
    except QuotaExhausted as exc:
        decision = exc.decision
        QUOTA_DENIALS.labels(services.plans.for_user(user).key).inc()
        return _error(
            402,
            "quota_exceeded",
            "You have used every MIDI download of this month.",
            limit=decision.limit,
            used=decision.used,
            reset_date=decision.reset_date.isoformat(),
            upgrade_url=f"{services.settings.app_url.rstrip('/')}{PRICING.path}",
        )
    except (MidiExportFailed, StorageUnavailable):
        return _error(503, "export_failed", EXPORT_FAILED_MESSAGE)
    DOWNLOADS.labels(services.settings.storage).inc()
    return RedirectResponse(delivered.url, status_code=303, headers={"Cache-Control": "no-store"})


async def project_audio(request: Request) -> Response:
    """Stream the original recording of the signed-in user's project."""
    user = await current_user(request)
    if user is None:
        return _error(401, "unauthorized", "Sign in to listen.")
    services = get_services()
    project = await blocking(
        services.repository.get_project, user.id, request.path_params["project_id"]
    )
    if project is None or project.source_audio_key is None:
        return _error(404, "not_found", "No recording for this project.")
    try:
        data = await blocking(services.storage.get, project.source_audio_key)
    except NotFound:
        return _error(404, "not_found", "No recording for this project.")
    suffix = project.source_audio_key[project.source_audio_key.rfind(".") :].lower()
    return Response(
        data,
        media_type=AUDIO_TYPES.get(suffix, "application/octet-stream"),
        headers={"Cache-Control": "private, max-age=3600"},
    )
