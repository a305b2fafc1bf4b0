"""Transcription minutes: this month's meter and the dialog when a recording does not fit."""

from __future__ import annotations

import asyncio

import reflex as rx

from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.jobs.errors import MinutesSpent
from keycraft.services.jobs.minutes import minutes_status, minutes_text
from keycraft.state.auth import AuthState, signed_in_user_id

DATE_FORMAT = "%d %b %Y"


class MinutesState(rx.State):
    """The signed-in user's transcription minutes and the "minutes spent" dialog."""

    minutes_used: str = "0"
    minutes_limit: int = 0
    minutes_left: str = "0"
    seconds_left: int = 0
    minutes_reset: str = ""
    needed_minutes: str = ""
    """Length of the refused recording in minutes, rounded up (for the dialog)."""
    spent_open: bool = False

    @rx.event
    async def refresh(self) -> None:
        """Read the meter again (on mount, and after a job is started or refused)."""
        user_id = await signed_in_user_id(await self.get_state(AuthState))
        if user_id:
            await self.load(user_id)

    async def load(self, user_id: str) -> None:
        """Fill the meter from the repository."""
        services = get_services()
        status = await asyncio.to_thread(
            minutes_status, services.repository, services.plans, user_id, utc_now()
        )
        if status is None:
            return
        self.minutes_used = minutes_text(status.used_s)
        self.minutes_limit = status.allowance_minutes
        self.minutes_left = minutes_text(status.left_s)
        self.seconds_left = status.left_s
        self.minutes_reset = status.window_end.strftime(DATE_FORMAT)

    async def show_spent(self, user_id: str, spent: MinutesSpent) -> None:
        """Open the upgrade dialog for a recording that does not fit this month."""
        self.needed_minutes = minutes_text(spent.needed_s, round_up=True)
        await self.load(user_id)
        self.spent_open = True

    @rx.event
    def set_spent_open(self, value: bool) -> None:
        """Show or hide the "minutes spent" dialog."""
        self.spent_open = bool(value)
