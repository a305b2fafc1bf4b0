"""The session bridge (``GET /api/session``) and ``POST /api/logout`` for this and sibling sites."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from keycraft.api.auth_http import (
    clear_session_cookie,
    cors_headers,
    csrf_protected,
    json_wanted,
    next_from,
    see_other,
)
from keycraft.api.request_user import blocking, current_user, session_token
from keycraft.services.auth.overview import bridge_payload
from keycraft.services.auth.sessions import end_session
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services

NO_STORE = {"Cache-Control": "no-store"}


async def session_bridge(request: Request) -> JSONResponse:
    """Who is signed in, with plan and quota, for pages on this or a sibling origin."""
    user = await current_user(request)
    services = get_services()
    payload = await blocking(
        bridge_payload, services.repository, user, utc_now(), services.plans.plans
    )
    return JSONResponse(
        payload, headers={**NO_STORE, **cors_headers(request), "Vary": "Origin, Cookie"}
    )


@csrf_protected
async def logout(request: Request) -> Response:
    """Revoke this session (or with ``scope=all`` every session of the user), expire the cookie."""
    everywhere = request.query_params.get("scope") == "all"
    next_value = request.query_params.get("next")
    if request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        async with request.form(max_files=0, max_fields=5) as form:
            everywhere = everywhere or form.get("scope") == "all"
            field = form.get("next")
            next_value = field if isinstance(field, str) else next_value
    repo = get_services().repository
    token = session_token(request)
    if everywhere:
        user = await current_user(request)
        if user is not None:
            await blocking(repo.delete_user_sessions, user.id)
    await blocking(end_session, repo, token)
    response: Response
    if json_wanted(request):
        response = JSONResponse({"authenticated": False, "user": None}, headers=NO_STORE)
    else:
        response = see_other(next_from(request, next_value))
    response.headers.update(cors_headers(request))
    clear_session_cookie(response, request)
    return response
