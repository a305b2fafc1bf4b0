"""Billing storage in memory: customer lookup and exactly-once Stripe events."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from keycraft.services.billing.state import BillingOutcome, BillingState
from keycraft.services.domain import User
from keycraft.services.errors import NotFound
from keycraft.services.repository.memory.base import MemoryBase
from keycraft.services.repository.memory.copying import detached


class MemoryBillingMixin(MemoryBase):
    """See ``port_billing.BillingStore``: the event id and the user change land together."""

    def get_user_by_stripe_customer(self, customer_id: str) -> User | None:
        """See the port."""
        if not customer_id:
            return None
        with self._lock:
            for user in self._tables.users.values():
                if user.stripe_customer_id == customer_id:
                    return detached(user)
        return None

    def has_processed_event(self, event_id: str) -> bool:
        """See the port."""
        with self._lock:
            return event_id in self._tables.stripe_events

    def apply_billing_event(
        self,
        event_id: str,
        event_type: str,
        user_id: str,
        state: BillingState,
        as_of: datetime,
        processed_at: datetime,
    ) -> BillingOutcome:
        """See the port (``event_type`` and ``processed_at`` are not kept: nothing reads them)."""
        with self._lock:
            user = self._tables.users.get(user_id)
            if user is None:
                raise NotFound(user_id)
            if event_id in self._tables.stripe_events:
                return BillingOutcome.DUPLICATE
            self._tables.stripe_events.add(event_id)
            last = user.subscription_updated_at
            if last is not None and last > as_of:
                return BillingOutcome.STALE
            values = {f.name: getattr(state, f.name) for f in dataclasses.fields(state)}
            self._tables.users[user_id] = detached(
                dataclasses.replace(user, subscription_updated_at=as_of, **values)
            )
        return BillingOutcome.APPLIED
