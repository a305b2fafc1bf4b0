"""The account page: profile, sign-in methods, sessions, plan and quota of the signed-in user."""

from __future__ import annotations

import asyncio

import reflex as rx
from reflex.event import EventSpec

from keycraft.routes import ACCOUNT, oauth_start_url, sign_in_url
from keycraft.services.auth.overview import account_overview
from keycraft.services.auth.providers import enabled_providers
from keycraft.services.auth.sessions import token_from_cookie_header
from keycraft.services.billing.state import subscription_note
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.state.auth import AuthState
from keycraft.state.auth_forms import ERROR_MESSAGES, NOTICE_MESSAGES, message_for

DATE_FORMAT = "%d %b %Y"
TIME_FORMAT = "%d %b %Y, %H:%M UTC"


class AccountState(rx.State):
    """Account data, loaded only after the server resolved the session cookie."""

    loaded: bool = False
    email: str = ""
    name: str = ""
    email_verified: bool = False
    has_password: bool = False
    linked_providers: list[str] = []
    connectable_providers: list[dict[str, str]] = []
    sessions: list[dict[str, str]] = []
    plan_name: str = ""
    billing_managed: bool = False
    """Has a Stripe customer: the Customer Portal can manage or cancel the plan."""
    billing_note: str = ""
    downloads_used: int = 0
    downloads_limit: int = 0
    reset_date: str = ""
    error_message: str = ""
    notice_message: str = ""

    @rx.event
    async def load(self) -> EventSpec | None:
        """Check the session on the server; load private data only for a signed-in user."""
        auth = await self.get_state(AuthState)
        # Resolve here rather than trusting an earlier on-load step: this handler is what
        # reads private data, so it performs the server-side check itself.
        await auth.check_session()
        redirect = rx.redirect(sign_in_url(next_path=ACCOUNT.path))
        if not auth.user_id:
            self._clear()
            return redirect
        services = get_services()
        user = await asyncio.to_thread(services.repository.get_user, auth.user_id)
        if user is None:
            self._clear()
            return redirect
        token = token_from_cookie_header(self.router.headers.cookie)
        overview = await asyncio.to_thread(
            account_overview, services.repository, user, token, utc_now(), services.plans.plans
        )
        names = {p.key: p.name for p in enabled_providers(services.settings)}
        self.email = user.email
        self.name = user.name
        self.email_verified = user.email_verified
        self.has_password = user.password_hash is not None
        self.linked_providers = [names.get(k, k.title()) for k in overview.provider_keys]
        self.connectable_providers = [
            {"name": name, "href": oauth_start_url(key, intent="link")}
            for key, name in names.items()
            if key not in overview.provider_keys
        ]
        self.sessions = [
            {
                "id": s.public_id,
                "agent": s.user_agent or "Unknown browser",
                "created": s.created_at.strftime(TIME_FORMAT),
                "last_seen": s.last_seen_at.strftime(TIME_FORMAT),
                "current": "1" if s.current else "",
            }
            for s in overview.sessions
        ]
        self.plan_name = overview.plan_name
        self.billing_managed = user.stripe_customer_id is not None
        self.billing_note = subscription_note(user)
        self.downloads_used = overview.meter.used
        self.downloads_limit = overview.meter.limit
        self.reset_date = overview.meter.reset_date.strftime(DATE_FORMAT)
        query = self.router.url.query_parameters
        self.error_message = message_for(ERROR_MESSAGES, query.get("error", ""))
        self.notice_message = message_for(NOTICE_MESSAGES, query.get("notice", ""))
        self.loaded = True
        return None

    def _clear(self) -> None:
        self.loaded = False
        self.email = self.name = self.plan_name = self.reset_date = self.billing_note = ""
        self.billing_managed = False
        self.sessions = []
        self.linked_providers = []
        self.connectable_providers = []

    @rx.var
    def quota_percent(self) -> int:
        """Share of this month's downloads used, for the meter."""
        if self.downloads_limit <= 0:
            return 100
        return min(100, round(100 * self.downloads_used / self.downloads_limit))
