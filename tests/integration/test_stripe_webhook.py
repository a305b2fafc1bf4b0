"""Signed Stripe webhooks over HTTP against the app, on SQLite and on DynamoDB Local."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from keycraft.services.domain import User
from tests.support.app_server import RunningApp
from tests.support.signed_in import create_user
from tests.support.stripe_api import (
    PRICE_PRO_YEARLY,
    StripeApiServer,
    checkout_completed,
    event,
    invoice,
    signed,
    subscription,
)


@pytest.fixture(params=["sqlite", "dynamodb"])
def target(request: pytest.FixtureRequest) -> RunningApp:
    """The app on each repository backend."""
    name = "app" if request.param == "sqlite" else "dynamodb_app"
    running: RunningApp = request.getfixturevalue(name)
    return running


def post(target: RunningApp, payload: dict[str, Any], **sign: Any) -> httpx.Response:
    body, header = signed(payload, **sign)
    return httpx.post(
        f"{target.url}/api/stripe/webhook",
        content=body,
        headers={"stripe-signature": header, "content-type": "application/json"},
        timeout=30,
    )


def fresh(target: RunningApp, api: StripeApiServer, **sub: Any) -> tuple[User, str, str]:
    user = create_user(target)
    customer, sub_id = f"cus_{uuid.uuid4().hex[:10]}", f"sub_{uuid.uuid4().hex[:10]}"
    api.subscriptions[sub_id] = subscription(sub_id, customer, **sub)
    return user, customer, sub_id


def reload(target: RunningApp, user: User) -> User:
    stored = target.repository().get_user(user.id)
    assert stored is not None
    return stored


def test_checkout_makes_the_user_pro_and_replays_change_nothing(
    target: RunningApp, stripe_api: StripeApiServer
) -> None:
    user, customer, sub_id = fresh(target, stripe_api)
    now = int(time.time())
    response = post(target, checkout_completed(f"evt_{sub_id}", user.id, customer, sub_id, now))
    assert response.status_code == 200
    assert response.json()["outcome"] == "applied"
    pro = reload(target, user)
    assert pro.active_plans == ("pro-monthly",)
    assert pro.has_paid and pro.subscription_status == "active"
    assert pro.stripe_customer_id == customer and pro.subscription_id == sub_id
    assert pro.current_period_end is not None
    read = [c for c in stripe_api.calls if c.path.startswith(f"/v1/subscriptions/{sub_id}")]
    assert read and read[0].headers["Authorization"] == "Bearer sk_test_local"

    replay = post(target, checkout_completed(f"evt_{sub_id}", user.id, customer, sub_id, now))
    assert (replay.status_code, replay.json()["outcome"]) == (200, "duplicate")
    assert reload(target, user) == pro


def test_bad_and_stale_signatures_are_rejected_without_effect(
    target: RunningApp, stripe_api: StripeApiServer
) -> None:
    user, customer, sub_id = fresh(target, stripe_api)
    payload = checkout_completed(f"evt_bad_{sub_id}", user.id, customer, sub_id, int(time.time()))
    assert post(target, payload, secret="whsec_wrong").status_code == 400
    assert post(target, payload, timestamp=int(time.time()) - 3600).status_code == 400
    unsigned = httpx.post(f"{target.url}/api/stripe/webhook", content=b"{}", timeout=30)
    assert unsigned.status_code == 400
    assert reload(target, user).active_plans == ()


def test_subscription_lifecycle_and_out_of_order_delivery(
    target: RunningApp, stripe_api: StripeApiServer
) -> None:
    user, customer, sub_id = fresh(target, stripe_api)
    t0 = int(time.time()) - 100
    post(target, checkout_completed(f"evt_co_{sub_id}", user.id, customer, sub_id, t0))

    yearly = subscription(sub_id, customer, price=PRICE_PRO_YEARLY, cancel_at_period_end=True)
    updated = event(f"evt_up_{sub_id}", "customer.subscription.updated", yearly, t0 + 200)
    assert post(target, updated).json()["outcome"] == "applied"
    changed = reload(target, user)
    assert changed.subscription_plan == "pro-yearly"
    assert changed.active_plans == ("pro-yearly",)
    assert changed.cancel_at_period_end

    deleted_obj = subscription(sub_id, customer, status="canceled", price=PRICE_PRO_YEARLY)
    deleted = event(f"evt_del_{sub_id}", "customer.subscription.deleted", deleted_obj, t0 + 400)
    assert post(target, deleted).json()["outcome"] == "applied"
    # An older "active" update delivered late must not resurrect the plan.
    late = event(
        f"evt_late_{sub_id}",
        "customer.subscription.updated",
        subscription(sub_id, customer),
        t0 + 300,
    )
    assert post(target, late).json()["outcome"] == "stale"
    final = reload(target, user)
    assert final.active_plans == ()
    assert final.subscription_status == "canceled"
    assert final.has_paid


def test_failed_then_paid_invoice(target: RunningApp, stripe_api: StripeApiServer) -> None:
    user, customer, sub_id = fresh(target, stripe_api)
    now = int(time.time())
    post(target, checkout_completed(f"evt_co_{sub_id}", user.id, customer, sub_id, now))
    stripe_api.subscriptions[sub_id] = subscription(sub_id, customer, status="past_due")
    failed = post(
        target, invoice(f"evt_f_{sub_id}", "invoice.payment_failed", customer, sub_id, now + 1)
    )
    assert failed.json()["outcome"] == "applied"
    past_due = reload(target, user)
    assert past_due.subscription_status == "past_due"
    assert past_due.active_plans == ("pro-monthly",)  # grace period while Stripe retries
    stripe_api.subscriptions[sub_id] = subscription(sub_id, customer, status="active")
    post(target, invoice(f"evt_p_{sub_id}", "invoice.paid", customer, sub_id, now + 2))
    assert reload(target, user).subscription_status == "active"


def test_unknown_event_types_are_acknowledged_and_ignored(target: RunningApp) -> None:
    payload = event(f"evt_{uuid.uuid4().hex}", "customer.created", {"id": "cus_x"}, 1)
    response = post(target, payload)
    assert (response.status_code, response.json()["outcome"]) == (200, "ignored")


def test_a_checkout_naming_a_paying_user_cannot_rebind_their_customer(
    target: RunningApp, stripe_api: StripeApiServer
) -> None:
    victim, customer, sub_id = fresh(target, stripe_api)
    now = int(time.time()) - 100
    post(target, checkout_completed(f"evt_v_{sub_id}", victim.id, customer, sub_id, now))
    # Someone pays a Payment Link with the victim's id as client_reference_id.
    _, attacker_customer, attacker_sub = fresh(target, stripe_api)
    forged = checkout_completed(
        f"evt_a_{attacker_sub}", victim.id, attacker_customer, attacker_sub, now + 10
    )
    response = post(target, forged)
    assert (response.status_code, response.json()["outcome"]) == (200, "refused")
    assert reload(target, victim).stripe_customer_id == customer
    # The attacker's cancellation reaches nobody.
    gone = subscription(attacker_sub, attacker_customer, status="canceled")
    deleted = event(f"evt_ad_{attacker_sub}", "customer.subscription.deleted", gone, now + 20)
    assert post(target, deleted).json()["outcome"] == "unmatched"
    after = reload(target, victim)
    assert after.active_plans == ("pro-monthly",) and after.stripe_customer_id == customer


def test_a_checkout_with_another_email_is_refused(
    target: RunningApp, stripe_api: StripeApiServer
) -> None:
    victim, customer, sub_id = fresh(target, stripe_api)
    payload = checkout_completed(
        f"evt_e_{sub_id}", victim.id, customer, sub_id, int(time.time()), "mallory@example.com"
    )
    assert post(target, payload).json()["outcome"] == "refused"
    assert reload(target, victim).stripe_customer_id is None
    same = checkout_completed(
        f"evt_s_{sub_id}", victim.id, customer, sub_id, int(time.time()), victim.email.upper()
    )
    assert post(target, same).json()["outcome"] == "applied"


def test_a_customer_bound_to_one_user_is_not_moved_to_another(
    target: RunningApp, stripe_api: StripeApiServer
) -> None:
    owner, customer, sub_id = fresh(target, stripe_api)
    now = int(time.time()) - 100
    post(target, checkout_completed(f"evt_o_{sub_id}", owner.id, customer, sub_id, now))
    other = create_user(target)
    claim = checkout_completed(f"evt_x_{sub_id}", other.id, customer, sub_id, now + 10)
    assert post(target, claim).json()["outcome"] == "refused"
    assert reload(target, other).stripe_customer_id is None
    assert reload(target, owner).stripe_customer_id == customer
