"""A paid checkout, reported only by Stripe's signed webhook, converts the visitor's variant."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import httpx

from keycraft.services.clock import utc_now
from keycraft.services.experiments.assignment import new_visitor_id
from keycraft.services.experiments.catalog import HERO_HEADLINE
from keycraft.services.experiments.service import choose_variant, link_visitor, record_exposure
from tests.support.app_server import RunningApp
from tests.support.signed_in import create_user
from tests.support.stripe_api import StripeApiServer, checkout_completed, signed, subscription


def _tally(app: RunningApp, variant: str, event: str) -> int:
    tallies = app.repository().experiment_tallies(HERO_HEADLINE.key, HERO_HEADLINE.version)
    return sum(t.count for t in tallies if t.variant == variant and t.event == event)


def test_signed_checkout_webhook_credits_a_paid_conversion_to_the_exposed_variant(
    app: RunningApp, stripe_api: StripeApiServer
) -> None:
    repo = app.repository()
    visitor = new_visitor_id()
    choice = choose_variant(HERO_HEADLINE, visitor, bot=False)
    earlier = utc_now() - timedelta(minutes=5)
    assert record_exposure(repo, choice, visitor, earlier)
    user = create_user(app)
    assert link_visitor(repo, visitor, user.id, earlier)
    paid_before = _tally(app, choice.variant, "paid")

    customer, sub_id = f"cus_{uuid.uuid4().hex[:10]}", f"sub_{uuid.uuid4().hex[:10]}"
    stripe_api.subscriptions[sub_id] = subscription(sub_id, customer)
    body, header = signed(
        checkout_completed(f"evt_{sub_id}", user.id, customer, sub_id, int(time.time()))
    )
    response = httpx.post(
        f"{app.url}/api/stripe/webhook", content=body, headers={"stripe-signature": header}
    )
    assert response.json()["outcome"] == "applied"
    assert _tally(app, choice.variant, "paid") == paid_before + 1

    # Stripe retries deliveries: a replay must not count the payment twice.
    httpx.post(f"{app.url}/api/stripe/webhook", content=body, headers={"stripe-signature": header})
    assert _tally(app, choice.variant, "paid") == paid_before + 1
