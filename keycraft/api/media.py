"""``GET /api/media/{token}``: serves a local-store object named by a signed, expiring link."""

from __future__ import annotations

import mimetypes
import time

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from keycraft.api.request_user import blocking
from keycraft.services.container import get_services
from keycraft.services.errors import ExpiredMediaLink, InvalidMediaLink, NotFound
from keycraft.services.storage.local import MEDIA_LINK_PATH
from keycraft.services.storage.media_links import MediaLinkSigner, attachment_disposition

MEDIA_ROUTE = f"{MEDIA_LINK_PATH}{{token}}"

_CONTENT_TYPES = {".mid": "audio/midi", ".midi": "audio/midi"}
_NO_STORE = {"Cache-Control": "private, no-store"}


def _content_type(key: str) -> str:
    suffix = key[key.rfind(".") :].lower() if "." in key else ""
    return _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"


async def media(request: Request) -> Response:
    """Check the link's signature and expiry, then send the object as an attachment."""
    services = get_services()
    signer = MediaLinkSigner(services.settings.secret_key.get_secret_value().encode("utf-8"))
    try:
        link = signer.verify(request.path_params["token"], time.time())
    except ExpiredMediaLink:
        return PlainTextResponse("This download link has expired.", 410, headers=_NO_STORE)
    except InvalidMediaLink:
        return PlainTextResponse("This download link is not valid.", 403, headers=_NO_STORE)
    try:
        data = await blocking(services.storage.get, link.key)
    except NotFound:
        return PlainTextResponse("This file no longer exists.", 404, headers=_NO_STORE)
    return Response(
        data,
        media_type=_content_type(link.key),
        headers={
            **_NO_STORE,
            "Content-Disposition": attachment_disposition(link.filename),
            "X-Content-Type-Options": "nosniff",
        },
    )
