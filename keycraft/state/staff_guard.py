"""The check every staff event handler runs first: same-site connection, staff session now."""

from __future__ import annotations

import asyncio

import reflex as rx

from keycraft.config import Settings
from keycraft.services.auth.sessions import resolve_session, token_from_cookie_header
from keycraft.services.auth.staff import NotStaff, require_staff
from keycraft.services.auth.web import origin_allowed, trusted_origins
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.domain import User
from keycraft.services.errors import DomainError


class ForeignOrigin(DomainError):
    """The event came over a connection opened by another site's page (CSRF)."""


def connection_trusted(origin: str, host: str, settings: Settings) -> bool:
    """Whether a websocket handshake's Origin is one of our sites (the CSRF check)."""
    # A page on another site can open a websocket to us, and the browser attaches our
    # cookies to it; its handshake's Origin names that site, so it must be one of ours:
    # the configured app URL, a sibling site, or the host this connection reached.
    own = {f"{scheme}://{host}".lower() for scheme in ("http", "https")} if host else set()
    trusted = trusted_origins(settings) | own
    return origin_allowed(origin or None, None, frozenset(trusted))


def _staff_from_cookie(cookie_header: str) -> User:
    repo = get_services().repository
    user = resolve_session(repo, token_from_cookie_header(cookie_header), utc_now())
    if user is None:
        raise NotStaff("")
    return require_staff(repo, user.id)


async def acting_staff(state: rx.State) -> User:
    """The staff member behind this event, checked against the repository now.

    The session and its user's role are read again for every admin action, so revoking
    staff or signing out takes effect at the next click, on every worker.

    Raises:
        ForeignOrigin: The connection was opened from another site's page.
        NotStaff: No valid session, or its user is not staff (any more).
        RepositoryUnavailable: The store could not be reached.
    """
    headers = state.router.headers
    if not connection_trusted(headers.origin, headers.host, get_services().settings):
        raise ForeignOrigin(headers.origin)
    return await asyncio.to_thread(_staff_from_cookie, headers.cookie)
