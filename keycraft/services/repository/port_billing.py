"""Repository operations for billing: customer lookup and exactly-once Stripe events."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from keycraft.services.billing.state import BillingOutcome, BillingState
from keycraft.services.domain import User


class BillingStore(Protocol):
    """Storage the Stripe webhook needs."""

    def get_user_by_stripe_customer(self, customer_id: str) -> User | None:
        """Return the user linked to a Stripe customer, if any."""
        ...

    def has_processed_event(self, event_id: str) -> bool:
        """Whether this Stripe event id was already recorded."""
        ...

    def apply_billing_event(
        self,
        event_id: str,
        event_type: str,
        user_id: str,
        state: BillingState,
        as_of: datetime,
        processed_at: datetime,
    ) -> BillingOutcome:
        """Record the event id and, in the same atomic write, apply ``state`` to the user.

        The state is applied only if it is not older than what the user already has
        (``as_of`` ≥ ``subscription_updated_at``); otherwise only the event id is recorded
        and the outcome is ``STALE``. A recorded event id gives ``DUPLICATE`` and changes
        nothing. Raises ``NotFound`` for an unknown user.
        """
        ...
