"""The signed-in user of an HTTP request, resolved from the session cookie."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.domain import User
from keycraft.services.sessions import SESSION_COOKIE, resolve_session


async def request_user(request: Request) -> User | None:
    """Return the user whose valid session cookie came with ``request``, if any."""
    token = request.cookies.get(SESSION_COOKIE, "")
    return await run_in_threadpool(resolve_session, get_services().repository, token, utc_now())


def same_origin(request: Request, app_url: str) -> bool:
    """Whether a state-changing request comes from our own pages (CSRF defence).

    Browsers send ``Origin`` on cross-site POSTs; a missing or foreign origin is refused.
    """
    origin = request.headers.get("origin", "")
    own = app_url.rstrip("/")
    host_origin = f"{request.url.scheme}://{request.url.netloc}"
    return origin != "" and origin in (own, host_origin)
