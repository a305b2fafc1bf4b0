"""What the sign-up, sign-in and email-link pages show: fixed messages, providers, next page."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from keycraft.routes import EMAIL_LINK, PROJECTS, oauth_start_url
from keycraft.services.auth.passwords import MIN_PASSWORD_CHARS
from keycraft.services.auth.providers import enabled_providers
from keycraft.services.auth.web import safe_next, trusted_origins
from keycraft.services.container import get_services
from keycraft.state.auth import AuthState, signed_in_user_id

ERROR_MESSAGES: dict[str, str] = {
    "invalid_credentials": "That email and password don't match an account. Check both, or "
    "sign in with an email link.",
    "invalid_email": "Enter a valid email address.",
    "email_taken": "An account with this email already exists. Sign in instead.",
    "password_too_short": f"Use at least {MIN_PASSWORD_CHARS} characters for your password.",
    "password_too_long": "Use at most 256 characters for your password.",
    "password_too_simple": "That password is too easy to guess. Use a longer, more varied one.",
    "password_common": "That password is on lists of leaked passwords. Choose another.",
    "password_contains_email": "Don't build your password from your email address.",
    "link_invalid": "This sign-in link is invalid, already used or expired. Request a new one.",
    "email_not_sent": "We couldn't send the email just now. Please try again in a moment.",
    "oauth_failed": "Signing in with that provider didn't work. Try again or use another way.",
    "oauth_unverified": "That provider hasn't verified your email address, so it can't be used "
    "to sign in.",
    "oauth_taken": "That sign-in is already connected to a different KeyCraft account.",
    "current_password_wrong": "Your current password is not correct.",
    "confirm_mismatch": "Type your account's email address exactly to confirm.",
    "billing_unreachable": "We couldn't cancel your subscription just now, so nothing was "
    "deleted. Please try again in a minute.",
}
"""Error codes the API puts in ``?error=``, mapped to the only sentences users ever see."""

NOTICE_MESSAGES: dict[str, str] = {
    "password_saved": "Your password is saved. Your other sessions are signed out.",
    "session_revoked": "That session is signed out.",
    "provider_linked": "Connected. You can now sign in with it too.",
    "account_deleted": "Your account and its data are deleted.",
    "account_reclaimed": "Your email is verified. A password someone set when this account was "
    "created without proof of the address has been removed, and every other session signed "
    "out. Add a password below if you want one.",
}


def message_for(table: dict[str, str], code: str) -> str:
    """The fixed sentence for ``code``; unknown codes show nothing."""
    return table.get(code, "")


class AuthFormState(rx.State):
    """Query-string driven view state of the public sign-in pages."""

    error_message: str = ""
    notice_message: str = ""
    next_path: str = ""
    token: str = ""
    link_sent: bool = False
    dev_link: str = ""
    providers: list[dict[str, str]] = []

    @rx.event
    def load(self) -> None:
        """Read ``error``, ``next``, ``token`` and ``sent`` from the URL and list the providers."""
        query = self.router.url.query_parameters
        settings = get_services().settings
        self.error_message = message_for(ERROR_MESSAGES, query.get("error", ""))
        self.notice_message = message_for(NOTICE_MESSAGES, query.get("notice", ""))
        # An unsafe ``next`` is dropped, so the server picks the usual landing page.
        self.next_path = safe_next(query.get("next", ""), trusted_origins(settings), default="")
        self.token = query.get("token", "")[:200]
        self.link_sent = query.get("sent", "") == "1"
        link = query.get("dev_link", "")
        # Only in dev mode, and only a link to our own landing page, is ever put on screen.
        own_prefix = settings.app_url.rstrip("/") + EMAIL_LINK.path + "?"
        self.dev_link = link if settings.env == "dev" and link.startswith(own_prefix) else ""
        self.providers = [
            {
                "key": p.key,
                "name": p.name,
                "href": oauth_start_url(p.key, next_path=self.next_path),
            }
            for p in enabled_providers(settings)
        ]

    @rx.event
    async def leave_if_signed_in(self) -> EventSpec | None:
        """Send someone already signed in on to where they were going, or to their projects.

        A call to action rendered before the session was known still points at sign-up;
        the form has nothing to offer a signed-in visitor.
        """
        if not await signed_in_user_id(await self.get_state(AuthState)):
            return None
        query = self.router.url.query_parameters
        settings = get_services().settings
        return rx.redirect(
            safe_next(query.get("next", ""), trusted_origins(settings), default=PROJECTS.path)
        )
