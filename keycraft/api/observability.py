"""ASGI middleware: a request id on every HTTP request and response, request metrics, logging."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Sequence

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from keycraft.services.container import get_services
from keycraft.services.logs import REQUEST_LOG_MESSAGE, configure_logging, request_id_var
from keycraft.services.metrics import HTTP_REQUEST_SECONDS, HTTP_REQUESTS

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_OTHER_ROUTE = "app"
logger = logging.getLogger("keycraft.http")


def setup_logging() -> None:
    """Configure the app's logs from Settings; registered as a startup task of the app."""
    settings = get_services().settings
    configure_logging(settings.log_level, settings.log_format == "json")


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            # A proxy's id is kept so logs line up across hops; junk is replaced, not trusted.
            return text if _VALID_ID.fullmatch(text) else None
    return None


class RequestContextMiddleware:
    """Gives each HTTP request an id (kept from ``X-Request-ID`` if sane), echoes it, times it.

    Only the API routes passed in get their own metric label; every other path (pages, the
    Reflex backend) is counted as ``app`` so label cardinality stays fixed.
    """

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute] = ()) -> None:
        self.app = app
        self._routes = routes

    def _route_label(self, scope: Scope) -> str:
        for route in self._routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return str(getattr(route, "path", _OTHER_ROUTE))
        return _OTHER_ROUTE

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection; non-HTTP scopes pass straight through."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        route = self._route_label(scope)
        method = scope.get("method", "GET")
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.lower().encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error", extra={"path": scope.get("path"), "method": method})
            raise
        finally:
            elapsed_s = time.perf_counter() - started
            HTTP_REQUESTS.labels(route, method, str(status)).inc()
            HTTP_REQUEST_SECONDS.labels(route, method).observe(elapsed_s)
            if route != _OTHER_ROUTE or status >= 500:
                logger.info(
                    REQUEST_LOG_MESSAGE,
                    extra={
                        "method": method,
                        "path": scope.get("path"),
                        "route": route,
                        "status": status,
                        "duration_ms": round(elapsed_s * 1000, 1),
                    },
                )
            request_id_var.reset(token)
