"""Reads the Stripe events we act on into typed values; pure, no network."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from keycraft.services.billing.state import SubscriptionSnapshot

CHECKOUT_COMPLETED = "checkout.session.completed"
SUBSCRIPTION_EVENTS = frozenset(
    {
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
    }
)
INVOICE_PAID = "invoice.paid"
INVOICE_FAILED = "invoice.payment_failed"
HANDLED_TYPES = frozenset({CHECKOUT_COMPLETED, INVOICE_PAID, INVOICE_FAILED} | SUBSCRIPTION_EVENTS)


@dataclass(frozen=True, slots=True)
class BillingEvent:
    """A Stripe event we handle, reduced to what decides a user's plan.

    ``snapshot`` is set when the event embeds the subscription; otherwise the handler
    re-reads subscription ``subscription_id`` from the Stripe API.
    """

    event_id: str
    event_type: str
    created_at: datetime
    customer_id: str
    user_id: str | None
    subscription_id: str | None
    snapshot: SubscriptionSnapshot | None
    paid_now: bool
    checkout_email: str = ""
    """The email the buyer gave at checkout ('' when absent or not a checkout)."""


def _time(epoch_s: Any) -> datetime | None:
    return datetime.fromtimestamp(int(epoch_s), UTC) if epoch_s else None


def _id(value: Any) -> str:
    # Stripe sends either an id string or an expanded object with an "id".
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def subscription_snapshot(subscription: dict[str, Any]) -> SubscriptionSnapshot:
    """Read a Stripe Subscription object (any API version we have seen)."""
    items = (subscription.get("items") or {}).get("data") or [{}]
    first = items[0]
    # Newer API versions moved the period onto the items; older ones keep it on top.
    period_end = first.get("current_period_end") or subscription.get("current_period_end")
    return SubscriptionSnapshot(
        subscription_id=_id(subscription.get("id")),
        customer_id=_id(subscription.get("customer")),
        status=str(subscription.get("status") or ""),
        price_id=_id((first.get("price") or {}).get("id")),
        current_period_end=_time(period_end),
        cancel_at_period_end=bool(subscription.get("cancel_at_period_end")),
    )


def _invoice_subscription(invoice: dict[str, Any]) -> str:
    legacy = _id(invoice.get("subscription"))
    if legacy:
        return legacy
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    return _id(details.get("subscription"))


def parse_event(event: dict[str, Any]) -> BillingEvent | None:
    """Return the typed event, or None for types we ignore."""
    event_type = str(event.get("type") or "")
    if event_type not in HANDLED_TYPES:
        return None
    obj: dict[str, Any] = (event.get("data") or {}).get("object") or {}
    snapshot = subscription_snapshot(obj) if event_type in SUBSCRIPTION_EVENTS else None
    if event_type == CHECKOUT_COMPLETED:
        subscription_id = _id(obj.get("subscription"))
    elif snapshot is not None:
        subscription_id = snapshot.subscription_id
    else:
        subscription_id = _invoice_subscription(obj)
    paid = (event_type == INVOICE_PAID) or (
        event_type == CHECKOUT_COMPLETED and obj.get("payment_status") == "paid"
    )
    return BillingEvent(
        event_id=str(event.get("id") or ""),
        event_type=event_type,
        created_at=_time(event.get("created")) or datetime.now(UTC),
        customer_id=_id(obj.get("customer")),
        user_id=(obj.get("client_reference_id") or None)
        if event_type == CHECKOUT_COMPLETED
        else None,
        subscription_id=subscription_id or None,
        snapshot=snapshot,
        paid_now=paid,
        checkout_email=_checkout_email(obj) if event_type == CHECKOUT_COMPLETED else "",
    )


def _checkout_email(session: dict[str, Any]) -> str:
    details = session.get("customer_details") or {}
    email = details.get("email") if isinstance(details, dict) else None
    return str(email or session.get("customer_email") or "").strip().lower()
