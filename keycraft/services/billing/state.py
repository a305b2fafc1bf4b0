"""Billing state on a user, and how a Stripe subscription snapshot maps onto it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from keycraft.services.billing.plans import PlanCatalog
from keycraft.services.domain import User

ENTITLED_STATUSES = frozenset({"active", "trialing", "past_due"})
"""Statuses that keep paid features; past_due is a grace period while Stripe retries."""


@dataclass(frozen=True, slots=True)
class SubscriptionSnapshot:
    """What Stripe says about one subscription at one moment."""

    subscription_id: str
    customer_id: str
    status: str
    price_id: str
    current_period_end: datetime | None
    cancel_at_period_end: bool


@dataclass(frozen=True, slots=True)
class BillingState:
    """The billing fields of a user, written together and atomically."""

    stripe_customer_id: str
    subscription_id: str | None
    subscription_status: str | None
    subscription_plan: str | None
    current_period_end: datetime | None
    cancel_at_period_end: bool
    active_plans: tuple[str, ...]
    has_paid: bool


class BillingOutcome(enum.Enum):
    """What applying one Stripe event did."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    STALE = "stale"


def billing_state(
    user: User, snapshot: SubscriptionSnapshot, catalog: PlanCatalog, paid_now: bool
) -> BillingState:
    """Map a subscription snapshot onto the user's billing fields.

    Args:
        user: The user as stored now (``has_paid`` is a lifetime flag and never unset).
        snapshot: The subscription as Stripe reported it.
        catalog: Configured plans, to turn the Stripe Price into a plan key.
        paid_now: Whether this event itself is a successful payment.
    """
    plan = catalog.by_price_id(snapshot.price_id)
    entitled = plan is not None and snapshot.status in ENTITLED_STATUSES
    return BillingState(
        stripe_customer_id=snapshot.customer_id,
        subscription_id=snapshot.subscription_id,
        subscription_status=snapshot.status,
        subscription_plan=plan.key if plan else None,
        current_period_end=snapshot.current_period_end,
        cancel_at_period_end=snapshot.cancel_at_period_end,
        active_plans=(plan.key,) if entitled and plan else (),
        has_paid=user.has_paid or paid_now or (entitled and snapshot.status == "active"),
    )


def subscription_note(user: User) -> str:
    """One sentence about the subscription's state that the user should know, or ''."""
    if user.subscription_status == "past_due":
        return "Your last payment failed. Update your card to keep your plan."
    if user.active_plans and user.cancel_at_period_end and user.current_period_end:
        return f"Your plan ends on {user.current_period_end:%d %b %Y}; it will not renew."
    if user.subscription_status in ("canceled", "unpaid") and not user.active_plans:
        return "Your subscription has ended. You are on the free plan."
    return ""
