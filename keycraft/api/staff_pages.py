"""ASGI middleware: staff pages (``/admin`` and below) answer a real 403 to everyone else.

Reflex serves its pages as static files of a client-side app, so without this guard a
non-staff visitor would get the page shell with status 200 (the page's own state then
refuses to load any data). The guard runs before the static files are served and checks
the session cookie with the same services as ``/api/session``.
"""

from __future__ import annotations

import posixpath
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from keycraft.api.request_user import current_user
from keycraft.routes import HOME, PRODUCT_NAME, STAFF_PAGES_PREFIX, sign_in_url
from keycraft.services.auth.staff import STAFF_ROLE
from keycraft.services.errors import DomainError

FORBIDDEN_HEADERS = {"Cache-Control": "no-store", "Vary": "Cookie"}
UNAVAILABLE_MESSAGE = "We cannot check your account right now. Try again in a minute."
FORBIDDEN_MESSAGE = "This page is for the staff of {product}. Sign in with a staff account."

# Self-contained (no app scripts or styles): the same look as the app's 404, in one request.
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{status} — {product}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
  body {{ margin: 0; min-height: 100vh; display: grid; place-items: center;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    background: #fcfcfd; color: #1c2024; }}
  main {{ max-width: 32rem; padding: 2rem 1.5rem; text-align: center; }}
  .status {{ font-size: 4.5rem; font-weight: 700; color: #3e63dd; margin: 0; }}
  h1 {{ font-size: 1.5rem; margin: .5rem 0 1rem; }}
  p {{ color: #60646c; line-height: 1.5; }}
  nav {{ display: flex; gap: .75rem; justify-content: center; flex-wrap: wrap;
    margin-top: 1.5rem; }}
  a {{ display: inline-block; padding: .6rem 1.1rem; border-radius: .6rem;
    text-decoration: none; font-weight: 500; }}
  a.primary {{ background: #3e63dd; color: #fff; }}
  a.secondary {{ border: 1px solid #c1d0ff; color: #3a5bc7; }}
  a:focus-visible {{ outline: 3px solid #9eb1ff; outline-offset: 2px; }}
</style>
</head>
<body>
<main data-testid="forbidden">
<p class="status">{status}</p>
<h1>{heading}</h1>
<p>{message}</p>
<nav>
<a class="primary" href="{home}">Go to the home page</a>
<a class="secondary" href="{sign_in}">Sign in</a>
</nav>
</main>
</body>
</html>
"""


def is_staff_page(path: str) -> bool:
    """Whether ``path`` is a staff page or one of its files (``/admin``, ``/admin/...``).

    The path is judged as the static file server will resolve it: ``//admin``, ``/./admin``
    and ``/x/../admin`` all name the same files, and ``/Admin`` the same route.
    """
    prefix = STAFF_PAGES_PREFIX.rstrip("/")
    resolved = posixpath.normpath("/" + path.lstrip("/")) if path else path
    # Lower case too: the client-side router matches routes without regard to case.
    resolved = "/" + resolved.lstrip("/").lower()
    return any(p == prefix or p.startswith((f"{prefix}/", f"{prefix}.")) for p in (path, resolved))


def refusal_page(status: int, heading: str, message: str, next_path: str) -> HTMLResponse:
    """The small HTML page sent instead of a staff page."""
    body = _PAGE.format(
        status=status,
        product=PRODUCT_NAME,
        heading=escape(heading),
        message=escape(message),
        home=HOME.path,
        sign_in=escape(sign_in_url(next_path)),
    )
    return HTMLResponse(body, status_code=status, headers=FORBIDDEN_HEADERS)


class StaffPagesMiddleware:
    """Answers any request for a staff page with 403 unless the session is a staff user's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Guard staff pages; every other request passes straight through."""
        if scope["type"] != "http" or not is_staff_page(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            user = await current_user(request)
        except DomainError:
            response = refusal_page(503, "Unavailable", UNAVAILABLE_MESSAGE, request.url.path)
            await response(scope, receive, send)
            return
        if user is None or user.role != STAFF_ROLE:
            message = FORBIDDEN_MESSAGE.format(product=PRODUCT_NAME)
            response = refusal_page(403, "Staff only", message, request.url.path)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
