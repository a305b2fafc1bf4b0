"""The one way an HTTP endpoint finds its signed-in user and runs blocking service calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from keycraft.services.auth.sessions import resolve_session, token_from_cookie_header
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.domain import User

P = ParamSpec("P")
T = TypeVar("T")


async def blocking(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a synchronous service call (repository, storage, argon2, SMTP) off the event loop."""
    return await run_in_threadpool(fn, *args, **kwargs)


def session_token(request: Request) -> str:
    """The session token from the request's cookie ('' when absent)."""
    return token_from_cookie_header(request.headers.get("cookie", ""))


async def current_user(request: Request) -> User | None:
    """The signed-in user of this request, resolved from the session cookie."""
    repo = get_services().repository
    return await blocking(resolve_session, repo, session_token(request), utc_now())
