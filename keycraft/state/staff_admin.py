"""Staff management on the admin page: who is staff, inviting and removing, the audit log."""

from __future__ import annotations

import asyncio

import reflex as rx

from keycraft.services.audit import AuditEntry
from keycraft.services.auth.staff import (
    NoSuchAccount,
    NotStaff,
    OwnAccess,
    grant_staff,
    list_staff,
    revoke_other_staff,
)
from keycraft.services.auth.types import InvalidEmail
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.domain import User
from keycraft.services.errors import DomainError
from keycraft.state.staff_guard import ForeignOrigin, acting_staff

AUDIT_SHOWN = 50
"""How many of the latest audit entries the page lists."""

STAFF_ONLY = "Only signed-in staff can do this. Reload the page and sign in again."
UNAVAILABLE = "That did not work: the store is unavailable. Try again in a minute."
MESSAGES: dict[type[DomainError], str] = {
    NoSuchAccount: "Nobody has an account with that email yet: ask them to sign up first.",
    InvalidEmail: "That does not look like an email address.",
    OwnAccess: "You cannot remove your own staff access; ask another staff member.",
    NotStaff: STAFF_ONLY,
    ForeignOrigin: STAFF_ONLY,
}


def error_message(exc: DomainError) -> str:
    """The fixed sentence shown for a refused staff action."""
    return next((text for kind, text in MESSAGES.items() if isinstance(exc, kind)), UNAVAILABLE)


def _audit_row(entry: AuditEntry) -> dict[str, str]:
    return {
        "id": entry.id,
        "at": entry.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "detail": entry.detail,
    }


def _read() -> tuple[list[User], list[AuditEntry]]:
    repo = get_services().repository
    return list_staff(repo), repo.list_audit_entries(AUDIT_SHOWN)


class StaffAdminState(rx.State):
    """The staff list and the audit log, and the invite / remove actions."""

    staff: list[dict[str, str]] = []
    audit: list[dict[str, str]] = []
    notice: str = ""
    error: str = ""

    async def refresh(self) -> None:
        """Re-read the staff list and the audit log (for staff only)."""
        try:
            await acting_staff(self)
            people, entries = await asyncio.to_thread(_read)
        except DomainError:
            self.staff, self.audit = [], []
            return
        self.staff = [{"email": u.email, "name": u.name} for u in people]
        self.audit = [_audit_row(entry) for entry in entries]

    @rx.event
    async def load(self) -> None:
        """On page load."""
        self.notice = self.error = ""
        await self.refresh()

    @rx.event
    async def invite(self, form_data: dict[str, str]) -> None:
        """Make an existing account staff."""
        self.notice = self.error = ""
        email = str(form_data.get("email", ""))
        try:
            actor = await acting_staff(self)
            user = await asyncio.to_thread(
                grant_staff, get_services().repository, email, actor.email, utc_now()
            )
            self.notice = f"{user.email} is staff now."
        except DomainError as exc:
            self.error = error_message(exc)
        await self.refresh()

    @rx.event
    async def remove(self, email: str) -> None:
        """Take staff access away from another staff member."""
        self.notice = self.error = ""
        try:
            actor = await acting_staff(self)
            user = await asyncio.to_thread(
                revoke_other_staff, get_services().repository, email, actor, utc_now()
            )
            self.notice = f"{user.email} is no longer staff."
        except DomainError as exc:
            self.error = error_message(exc)
        await self.refresh()
