"""``GET /metrics``: Prometheus text exposition of the app's metrics."""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from keycraft.services.container import get_services
from keycraft.services.metrics import render_metrics

METRICS_ROUTE = "/metrics"


async def metrics(request: Request) -> Response:
    """Return every metric; when ``METRICS_TOKEN`` is set, only to ``Bearer <token>``."""
    settings = get_services().settings
    if settings.metrics_token is not None:
        expected = f"Bearer {settings.metrics_token.get_secret_value()}".encode()
        given = request.headers.get("authorization", "").encode("latin-1", "replace")
        if not hmac.compare_digest(given, expected):
            return PlainTextResponse("Unauthorized.", 401, headers={"WWW-Authenticate": "Bearer"})
    body, content_type = render_metrics(settings.prometheus_multiproc_dir)
    return Response(body, headers={"Content-Type": content_type, "Cache-Control": "no-store"})
