"""Stripe webhook handling: verify, deduplicate, read the subscription, apply atomically."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import stripe

from keycraft.services.billing.events import BillingEvent, parse_event, subscription_snapshot
from keycraft.services.billing.plans import PlanCatalog
from keycraft.services.billing.state import BillingOutcome, SubscriptionSnapshot, billing_state
from keycraft.services.billing.stripe_gateway import StripeGateway
from keycraft.services.domain import User
from keycraft.services.errors import DomainError
from keycraft.services.experiments.model import Metric
from keycraft.services.experiments.service import record_conversion
from keycraft.services.repository.port import Repository

log = logging.getLogger(__name__)


class InvalidSignature(DomainError):
    """The payload is not signed with our webhook secret (or is too old)."""


@dataclass(frozen=True, slots=True)
class WebhookResult:
    """What one delivery did: applied, duplicate, stale, ignored, unmatched or refused."""

    outcome: str
    event_id: str
    event_type: str


def verify_event(payload: bytes, signature: str, secret: str) -> dict[str, Any]:
    """Check the ``Stripe-Signature`` over the raw body and return the event as data."""
    try:
        stripe.Webhook.construct_event(payload, signature, secret)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise InvalidSignature(type(exc).__name__) from exc
    event: dict[str, Any] = json.loads(payload)
    return event


async def _snapshot(event: BillingEvent, gateway: StripeGateway) -> SubscriptionSnapshot | None:
    if event.snapshot is not None:
        return event.snapshot
    if not event.subscription_id:
        return None
    return subscription_snapshot(await gateway.retrieve_subscription(event.subscription_id))


class CheckoutRefused(DomainError):
    """A checkout names a user it must not be bound to; its reason is for the log only."""


def checkout_binding_problem(event: BillingEvent, user: User, bound: User | None) -> str:
    """Why a checkout's ``client_reference_id`` must not bind its customer to ``user`` ('' if fine).

    ``client_reference_id`` is written by whoever opens the Payment Link, so it is trusted
    only when it moves no existing binding: a Stripe customer belongs to one user for good,
    a paying user's customer is never replaced, and the checkout's email (when Stripe has
    one) must be the user's.

    Args:
        event: The checkout event.
        user: The user the checkout names.
        bound: The user already bound to the checkout's customer, if any.
    """
    if bound is not None and bound.id != user.id:
        return "the customer belongs to another user"
    email_matches = event.checkout_email == user.email.lower()
    if event.checkout_email and not email_matches:
        return "the checkout email is not the user's"
    moving = user.stripe_customer_id not in (None, "", event.customer_id)
    if moving and (user.active_plans or not email_matches):
        return "the user is bound to another customer"
    return ""


async def _find_user(event: BillingEvent, repo: Repository) -> User | None:
    bound = await asyncio.to_thread(repo.get_user_by_stripe_customer, event.customer_id)
    if not event.user_id:
        return bound
    user = await asyncio.to_thread(repo.get_user, event.user_id)
    if user is None:
        return bound
    problem = checkout_binding_problem(event, user, bound)
    if problem:
        raise CheckoutRefused(problem)
    return user


async def handle_event(
    data: dict[str, Any],
    repo: Repository,
    catalog: PlanCatalog,
    gateway: StripeGateway,
    now: datetime,
) -> WebhookResult:
    """Apply one verified Stripe event to the user it concerns.

    Events that embed the subscription are judged by their ``created`` time; for the others
    the subscription is re-read from the API, which is current as of ``now``. Either way
    the repository refuses to let older information overwrite newer.
    """
    event = parse_event(data)
    event_id, event_type = str(data.get("id", "")), str(data.get("type", ""))
    if event is None:
        return WebhookResult("ignored", event_id, event_type)
    if await asyncio.to_thread(repo.has_processed_event, event.event_id):
        return WebhookResult("duplicate", event_id, event_type)
    try:
        user = await _find_user(event, repo)
    except CheckoutRefused as refused:
        log.error(
            "stripe checkout refused: %s",
            refused.args[0],
            extra={
                "event_id": event.event_id,
                "user_id": event.user_id,
                "customer_id": event.customer_id,
            },
        )
        return WebhookResult("refused", event_id, event_type)
    if user is None:
        # Before checkout links the customer, subscription events cannot be placed; the
        # checkout event re-reads the subscription, so nothing is lost by skipping them.
        return WebhookResult("unmatched", event_id, event_type)
    snapshot = await _snapshot(event, gateway)
    if snapshot is None:
        return WebhookResult("ignored", event_id, event_type)
    as_of = event.created_at if event.snapshot is not None else now
    state = billing_state(user, snapshot, catalog, event.paid_now)
    outcome = await asyncio.to_thread(
        repo.apply_billing_event, event.event_id, event.event_type, user.id, state, as_of, now
    )
    if outcome is BillingOutcome.APPLIED and event.paid_now:
        # Experiments judged on "paid" learn it here, server-side, through the user's visitors.
        await asyncio.to_thread(record_conversion, repo, Metric.PAID, now, user_id=user.id)
    return WebhookResult(outcome.value, event_id, event_type)
