"""HTTP plumbing shared by the account endpoints: CSRF, cookies, redirects, rate limits."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from keycraft.api.request_user import blocking, session_token
from keycraft.config import Settings
from keycraft.routes import PROJECTS
from keycraft.services.auth import rate_limits
from keycraft.services.auth.rate_limits import AuthLimits, RateLimit
from keycraft.services.auth.sessions import (
    SESSION_COOKIE,
    end_session,
    start_session,
)
from keycraft.services.auth.web import (
    client_ip,
    cookie_domains_to_expire,
    cookie_policy,
    origin_allowed,
    safe_next,
    trusted_origins,
)
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import RepositoryUnavailable
from keycraft.services.experiments.service import (
    attribute_sign_in,
    visitor_id_from_cookie_header,
)

Endpoint = Callable[[Request], Awaitable[Response]]

MAX_FIELD_CHARS = 1000
COOKIE_MAX_AGE_S = 400 * 24 * 3600
"""Browsers' cap. The server's sliding expiry decides when a session ends; a cookie that
expired on its own after SESSION_LIFETIME would cut off sessions that were being renewed."""


def settings() -> Settings:
    """The running app's settings."""
    return get_services().settings


def request_origin(request: Request) -> str:
    """The origin the browser used to reach us (scheme + Host header)."""
    host = request.headers.get("host", "")
    return f"{request.url.scheme}://{host}" if host else ""


def trusted(request: Request) -> frozenset[str]:
    """Origins trusted for this request: APP_URL, the serving host, sibling sites."""
    return trusted_origins(settings(), request_origin(request))


def submitted_next(request: Request, value: str | None) -> str:
    """The ``next`` a form sent, or else the one in the URL of the page that sent it.

    The forms fill their hidden ``next`` field once the page's state has synced; a form
    submitted before that sends it empty, and the page's own address still says where the
    visitor was going.
    """
    if value:
        return value
    referer = request.headers.get("referer", "")
    if not referer or not origin_allowed(None, referer, trusted(request)):
        return ""
    return parse_qs(urlsplit(referer).query).get("next", [""])[0]


def next_from(request: Request, value: str | None) -> str:
    """A safe destination (same site only); the home page when none was asked for."""
    return safe_next(submitted_next(request, value), trusted(request))


def sign_in_destination(request: Request, value: str | None) -> str:
    """Where a visitor goes once signed in: the safe ``next`` they came for, else their projects.

    Signing in is how people get to their work, so without a destination the project list
    is the useful landing place (the home page only sells what they already have).
    """
    return safe_next(submitted_next(request, value), trusted(request), default=PROJECTS.path)


def came_from_our_pages(request: Request) -> bool:
    """The one CSRF check: a state-changing request's Origin/Referer is a trusted site."""
    headers = request.headers
    if headers.get("sec-fetch-site") == "cross-site":
        return False
    return origin_allowed(headers.get("origin"), headers.get("referer"), trusted(request))


def csrf_protected(endpoint: Endpoint) -> Endpoint:
    """Refuse (403) state-changing requests whose Origin/Referer is not a trusted site.

    Also turns an unreachable repository into a 503 instead of a stack trace.
    """

    @functools.wraps(endpoint)
    async def checked(request: Request) -> Response:
        if not came_from_our_pages(request):
            return PlainTextResponse("This request did not come from a KeyCraft page.", 403)
        try:
            return await endpoint(request)
        except RepositoryUnavailable:
            return PlainTextResponse("KeyCraft is temporarily unavailable.", 503)

    return checked


async def form_fields(request: Request) -> dict[str, str]:
    """The submitted form's text fields, each cut to a sane length."""
    async with request.form(max_files=0, max_fields=20) as form:
        return {k: v[:MAX_FIELD_CHARS] for k, v in form.items() if isinstance(v, str)}


def see_other(url: str) -> RedirectResponse:
    """A 303 redirect (the browser follows it with GET after a form POST)."""
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


def set_session_cookie(response: Response, token: str) -> None:
    """Attach the session cookie (HttpOnly, SameSite=Lax, Secure off localhost)."""
    policy = cookie_policy(settings())
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=COOKIE_MAX_AGE_S,
        path="/",
        domain=policy.domain or None,
        secure=policy.secure,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    """Expire the session cookie host-only, on the configured domain and on parent domains.

    A cookie set while ``SESSION_COOKIE_DOMAIN`` had another value (or none) would
    otherwise survive sign-out, so every variant is expired.
    """
    policy = cookie_policy(settings())
    for domain in cookie_domains_to_expire(policy.domain, request.headers.get("host", "")):
        response.delete_cookie(
            SESSION_COOKIE,
            path="/",
            domain=domain,
            secure=policy.secure,
            httponly=True,
            samesite="lax",
        )


def ip_address(request: Request) -> str:
    """The client's address, trusting only our own proxies' X-Forwarded-For entries."""
    peer = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for", "")
    return client_ip(peer, forwarded, settings().trusted_proxy_count)


def limits() -> AuthLimits:
    """The configured sign-in rate limits."""
    s = settings()
    return rate_limits.auth_limits(s.auth_rate_limit_per_ip, s.auth_rate_limit_per_account)


async def hit_limits(*checks: tuple[RateLimit, str]) -> None:
    """Count one attempt against each (limit, subject); raise ``RateLimited`` when one is full."""
    repo = get_services().repository
    now = utc_now()
    for limit, subject in checks:
        if subject:
            await blocking(rate_limits.hit, repo, limit, subject, now)


def too_many_attempts(retry_after_s: int, back_to: str) -> HTMLResponse:
    """The 429 page: a fixed message, a way back, and Retry-After."""
    minutes = max(1, (retry_after_s + 59) // 60)
    body = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Too many attempts — KeyCraft</title></head><body style='font-family:sans-serif;"
        "max-width:32rem;margin:4rem auto;padding:0 1rem'>"
        "<h1>Too many attempts</h1>"
        f"<p>Please wait about {minutes} minute{'s' if minutes != 1 else ''} and try again.</p>"
        f"<p><a href='{back_to}'>Go back</a></p></body></html>"
    )
    return HTMLResponse(
        body, 429, headers={"Retry-After": str(retry_after_s), "Cache-Control": "no-store"}
    )


def cors_headers(request: Request) -> dict[str, str]:
    """Credentialed CORS headers when the request comes from a configured sibling origin."""
    origin = (request.headers.get("origin") or "").lower().rstrip("/")
    if not origin or origin not in settings().sibling_origins:
        return {"Vary": "Origin"}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Credentials": "true",
        "Vary": "Origin",
    }


def json_wanted(request: Request) -> bool:
    """Whether the caller is a script asking for JSON rather than a form expecting a page."""
    return "application/json" in request.headers.get("accept", "")


async def signed_in_redirect(request: Request, user_id: str, destination: str) -> Response:
    """Start a session for ``user_id`` (ending the request's old one) and go to ``destination``."""
    repo = get_services().repository
    await blocking(end_session, repo, session_token(request))
    agent = request.headers.get("user-agent", "")
    now = utc_now()
    issued = await blocking(start_session, repo, user_id, agent, now)
    user = await blocking(repo.get_user, user_id)
    visitor = visitor_id_from_cookie_header(request.headers.get("cookie", ""))
    if user is not None:
        await blocking(attribute_sign_in, repo, visitor, user, now)
    response = see_other(destination)
    set_session_cookie(response, issued.token)
    return response
