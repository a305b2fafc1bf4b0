"""Who is signed in: resolved on the server from the HttpOnly session cookie."""

from __future__ import annotations

import asyncio
import time

import reflex as rx
from reflex.event import EventSpec

from keycraft.routes import sign_in_url
from keycraft.services.auth.sessions import hash_token, resolve_session, token_from_cookie_header
from keycraft.services.auth.staff import STAFF_ROLE
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services

SESSION_RECHECK_S = 5.0
"""How long a session check stands for one connection's cookie: a revoked session stops
working within this many seconds on a socket that stays open."""


class AuthState(rx.State):
    """The signed-in user as the server sees it; pages load private data only after this."""

    user_id: str = ""
    user_email: str = ""
    user_name: str = ""
    user_is_staff: bool = False
    """Only shows the staff link; every staff action re-checks the role on the server."""
    auth_checked: bool = False
    _checked_cookie: str = ""
    """Hash of the session token the last check saw (another cookie means another check)."""
    _checked_at_s: float = 0.0

    @rx.var
    def signed_in(self) -> bool:
        """Whether a valid session cookie came with this connection."""
        return self.user_id != ""

    async def _resolve(self) -> None:
        # The session cookie is HttpOnly, so only the server sees it: in the headers of
        # the connection's handshake, never in anything sent to the browser.
        token = token_from_cookie_header(self.router.headers.cookie)
        user = await asyncio.to_thread(resolve_session, get_services().repository, token, utc_now())
        self.user_id = user.id if user else ""
        self.user_email = user.email if user else ""
        self.user_name = user.name if user else ""
        self.user_is_staff = user is not None and user.role == STAFF_ROLE
        self.auth_checked = True
        self._checked_cookie = hash_token(token) if token else ""
        self._checked_at_s = time.time()

    async def check_session(self) -> str:
        """The signed-in user's id, from a session check made now (no reused answer)."""
        await self._resolve()
        return self.user_id

    async def live_user_id(self) -> str:
        """The signed-in user's id, from a session check of this connection's own cookie.

        The check is reused for ``SESSION_RECHECK_S`` seconds, and only for the same
        cookie: a socket that reconnects with an old client token but another (or no)
        cookie is checked afresh, and a revoked session is noticed within seconds.
        """
        token = token_from_cookie_header(self.router.headers.cookie)
        cookie = hash_token(token) if token else ""
        fresh = time.time() - self._checked_at_s < SESSION_RECHECK_S
        if not (self.auth_checked and fresh and cookie == self._checked_cookie):
            await self._resolve()
        return self.user_id

    @rx.event
    async def load_user(self) -> None:
        """Resolve the user on page load (public pages that adapt to signed-in users)."""
        await self._resolve()

    @rx.event
    async def require_user(self) -> EventSpec | None:
        """Resolve the user; send anyone signed out to sign-in, then back here."""
        await self._resolve()
        if self.user_id:
            return None
        return rx.redirect(sign_in_url(next_path=self.router.url.path))


async def signed_in_user_id(auth: AuthState) -> str:
    """The signed-in user's id, resolving the cookie first if this connection has not yet.

    Other states call this instead of relying on ``on_load`` order, because a background
    task may start before the page's ``require_user`` has finished.
    """
    return await auth.live_user_id()
