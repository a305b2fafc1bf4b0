"""Billing UI state: waiting on the return page until Stripe's webhook has landed."""

from __future__ import annotations

import asyncio

import reflex as rx

from keycraft.services.container import get_services
from keycraft.state.auth import AuthState, signed_in_user_id

POLL_INTERVAL_S = 1.0
POLL_LIMIT = 90
"""Webhooks usually land within seconds; after this the page says so and offers a retry."""


class BillingReturnState(rx.State):
    """What the checkout return page shows while it waits for server truth."""

    status: str = "waiting"
    """waiting | active | timeout"""
    plan_name: str = ""

    @rx.event(background=True)
    async def wait_for_plan(self) -> None:
        """Poll the repository until the signed-in user has an active paid plan."""
        async with self:
            user_id = await signed_in_user_id(await self.get_state(AuthState))
            self.status = "waiting"
        if not user_id:
            return
        services = get_services()
        for _ in range(POLL_LIMIT):
            user = await asyncio.to_thread(services.repository.get_user, user_id)
            if user is not None and user.active_plans:
                async with self:
                    self.plan_name = services.plans.for_user(user).name
                    self.status = "active"
                return
            await asyncio.sleep(POLL_INTERVAL_S)
        async with self:
            self.status = "timeout"
