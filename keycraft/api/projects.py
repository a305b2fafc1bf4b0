"""Project files over HTTP: ``GET /api/projects/{id}/midi`` and ``.../audio``."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from keycraft.config import get_settings
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.domain import User
from keycraft.services.downloads import QuotaExhausted, download_project_midi
from keycraft.services.errors import NotFound
from keycraft.services.sessions import resolve_session, token_from_cookie_header

UPGRADE_PATH = "/pricing"
AUDIO_TYPES = {
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".flac": "audio/flac",
    ".ogg": "audio/ogg",
    ".m4a": "audio/mp4",
}


def _error(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    return JSONResponse(
        {"error": code, "message": message, **extra},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


async def _user(request: Request) -> User | None:
    token = token_from_cookie_header(request.headers.get("cookie", ""))
    repo = get_services().repository
    return await asyncio.to_thread(resolve_session, repo, token, utc_now())


async def project_midi(request: Request) -> Response:
    """Send the signed-in user's project as a MIDI file, counting one download."""
    user = await _user(request)
    if user is None:
        return _error(401, "unauthorized", "Sign in to download MIDI.")
    project_id = request.path_params["project_id"]
    repo = get_services().repository
    try:
        download = await asyncio.to_thread(
            download_project_midi, repo, user.id, project_id, utc_now()
        )
    except NotFound:
        return _error(404, "not_found", "No such project.")
    except QuotaExhausted as exc:
        decision = exc.decision
        return _error(
            402,
            "quota_exceeded",
            "You have used every MIDI download of this month.",
            limit=decision.limit,
            used=decision.used,
            reset_date=decision.reset_date.isoformat(),
            upgrade_url=f"{get_settings().app_url.rstrip('/')}{UPGRADE_PATH}",
        )
    return Response(
        download.data,
        media_type="audio/midi",
        headers={
            "Content-Disposition": f'attachment; filename="{download.filename}"',
            "Cache-Control": "no-store",
        },
    )


async def project_audio(request: Request) -> Response:
    """Stream the original recording of the signed-in user's project."""
    user = await _user(request)
    if user is None:
        return _error(401, "unauthorized", "Sign in to listen.")
    services = get_services()
    project = await asyncio.to_thread(
        services.repository.get_project, user.id, request.path_params["project_id"]
    )
    if project is None or project.source_audio_key is None:
        return _error(404, "not_found", "No recording for this project.")
    try:
        data = await asyncio.to_thread(services.storage.get, project.source_audio_key)
    except NotFound:
        return _error(404, "not_found", "No recording for this project.")
    suffix = project.source_audio_key[project.source_audio_key.rfind(".") :].lower()
    return Response(
        data,
        media_type=AUDIO_TYPES.get(suffix, "application/octet-stream"),
        headers={"Cache-Control": "private, max-age=3600"},
    )
