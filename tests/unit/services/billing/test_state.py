"""Stripe subscription snapshots map onto plan state; the account page explains the state."""

from dataclasses import replace
from datetime import UTC, datetime

from keycraft.services.billing.plans import Plan, PlanCatalog
from keycraft.services.billing.state import (
    SubscriptionSnapshot,
    billing_state,
    subscription_note,
)
from tests.support.factories import make_user

CATALOG = PlanCatalog(
    (
        Plan("free", "Free", 3),
        Plan("pro", "Pro", 100, price_cents=900, stripe_price_id="price_pro"),
    )
)
END = datetime(2026, 3, 1, tzinfo=UTC)


def snapshot(status: str, price: str = "price_pro") -> SubscriptionSnapshot:
    return SubscriptionSnapshot("sub_1", "cus_1", status, price, END, False)


def test_active_and_grace_statuses_keep_the_plan() -> None:
    for status in ("active", "trialing", "past_due"):
        state = billing_state(make_user(), snapshot(status), CATALOG, paid_now=False)
        assert state.active_plans == ("pro",), status
        assert state.subscription_plan == "pro"


def test_ended_or_unknown_price_means_no_paid_plan() -> None:
    assert billing_state(make_user(), snapshot("canceled"), CATALOG, False).active_plans == ()
    unknown = billing_state(make_user(), snapshot("active", "price_other"), CATALOG, False)
    assert (unknown.active_plans, unknown.subscription_plan) == ((), None)


def test_has_paid_is_a_lifetime_flag() -> None:
    assert billing_state(make_user(), snapshot("incomplete"), CATALOG, paid_now=True).has_paid
    payer = make_user(has_paid=True)
    assert billing_state(payer, snapshot("canceled"), CATALOG, paid_now=False).has_paid
    assert not billing_state(make_user(), snapshot("incomplete"), CATALOG, False).has_paid


def test_notes_explain_failed_payment_cancellation_and_end() -> None:
    pro = make_user(active_plans=("pro",), subscription_status="active")
    assert subscription_note(pro) == ""
    assert "payment failed" in subscription_note(replace(pro, subscription_status="past_due"))
    ending = replace(pro, cancel_at_period_end=True, current_period_end=END)
    assert subscription_note(ending) == "Your plan ends on 01 Mar 2026; it will not renew."
    ended = make_user(subscription_status="canceled")
    assert "free plan" in subscription_note(ended)
