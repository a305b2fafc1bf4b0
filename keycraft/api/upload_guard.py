"""ASGI middleware: bounds Reflex's ``/_upload`` before its multipart parser reads the body.

Reflex parses (and spools to disk) a whole upload before any handler of ours runs, for
any client token. This guard answers first: it refuses a ``Content-Length`` over the
handler's limit, needs a signed-in session cookie (and counts the upload against the
user's allowance), and counts the bytes it passes on, cutting the request off with 413 as
soon as they exceed the limit (chunked or lying bodies).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from keycraft.api.auth_http import (
    settings,
)
from keycraft.api.request_user import blocking, current_user
from keycraft.services import usage_limits
from keycraft.services.auth.types import RateLimited
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import DomainError
from keycraft.services.notes.midi_io import MAX_MIDI_BYTES
from keycraft.services.transcription.recordings import MAX_AUDIO_BYTES
from keycraft.services.usage_limits import UPLOADS_PER_USER

UPLOAD_PATH = "/_upload"
FORM_OVERHEAD_BYTES = 64 * 1024
"""Room for the multipart boundaries and part headers around the file."""

SMALL_UPLOADS = {"import_midi": MAX_MIDI_BYTES}
"""Upload handlers (by method name) with a tighter limit than an audio recording."""

_NO_STORE = {"Cache-Control": "no-store", "Connection": "close"}


def upload_limit_bytes(handler: str) -> int:
    """The most body bytes an upload to ``handler`` (Reflex's dotted handler name) may send."""
    method = handler.rsplit(".", 1)[-1]
    return SMALL_UPLOADS.get(method, MAX_AUDIO_BYTES) + FORM_OVERHEAD_BYTES


def _refusal(status: int, text: str) -> PlainTextResponse:
    return PlainTextResponse(text, status, headers=_NO_STORE)


class UploadGuardMiddleware:
    """Refuses unauthenticated and oversized uploads before Reflex reads them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check uploads; every other request passes straight through."""
        if scope["type"] != "http" or scope.get("path") != UPLOAD_PATH:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        limit = upload_limit_bytes(request.headers.get("reflex-event-handler", ""))
        announced = request.headers.get("content-length", "")
        if announced and (not announced.isdigit() or int(announced) > limit):
            await _refusal(413, "This file is too large.")(scope, receive, send)
            return
        if settings().upload_session_required:
            try:
                user = await current_user(request)
            except DomainError:
                await _refusal(503, "KeyCraft is temporarily unavailable.")(scope, receive, send)
                return
            if user is None:
                await _refusal(401, "Sign in to upload files.")(scope, receive, send)
                return
            try:
                repo = get_services().repository
                await blocking(usage_limits.charge, repo, UPLOADS_PER_USER, user.id, utc_now())
            except RateLimited as limited:
                refusal = _refusal(429, "Too many uploads. Please wait a few minutes.")
                refusal.headers["Retry-After"] = str(limited.retry_after_s)
                await refusal(scope, receive, send)
                return
        await self._counted(scope, receive, send, limit)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        over = False
        forwarded = False

        async def counting_receive() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Reflex sees a client that went away: its parser stops and closes
                    # (and so deletes) whatever it spooled.
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal forwarded
            if over and not forwarded:
                return  # Reflex's answer to a "disconnected" client; ours is the 413
            forwarded = True
            await send(message)

        await self.app(scope, counting_receive, guarded_send)
        if over and not forwarded:
            await _refusal(413, "This file is too large.")(scope, receive, send)
