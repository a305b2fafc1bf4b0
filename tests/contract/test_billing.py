"""Contract: Stripe events apply exactly once, never older over newer, atomically."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from keycraft.services.billing.state import BillingOutcome, BillingState
from keycraft.services.clock import utc_now
from keycraft.services.errors import NotFound
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_user

NOW = utc_now()
"""When events are processed: their records expire by TTL 90 days later, so use real time."""

PRO = BillingState(
    stripe_customer_id="cus_1",
    subscription_id="sub_1",
    subscription_status="active",
    subscription_plan="pro-monthly",
    current_period_end=datetime(2026, 3, 1, tzinfo=UTC),
    cancel_at_period_end=False,
    active_plans=("pro-monthly",),
    has_paid=True,
)
CANCELED = BillingState(
    stripe_customer_id="cus_1",
    subscription_id="sub_1",
    subscription_status="canceled",
    subscription_plan=None,
    current_period_end=None,
    cancel_at_period_end=False,
    active_plans=(),
    has_paid=True,
)


def test_applied_event_updates_the_user_and_links_the_customer(repo: Repository) -> None:
    user = repo.create_user(make_user())
    outcome = repo.apply_billing_event("evt_1", "checkout.session.completed", user.id, PRO, T0, NOW)
    assert outcome is BillingOutcome.APPLIED
    stored = repo.get_user(user.id)
    assert stored is not None
    assert stored.active_plans == ("pro-monthly",)
    assert stored.has_paid and stored.subscription_status == "active"
    assert stored.current_period_end == PRO.current_period_end
    assert stored.subscription_updated_at == T0
    assert repo.get_user_by_stripe_customer("cus_1") == stored
    assert repo.has_processed_event("evt_1")
    assert not repo.has_processed_event("evt_2")


def test_replay_changes_nothing(repo: Repository) -> None:
    user = repo.create_user(make_user())
    repo.apply_billing_event("evt_1", "x", user.id, PRO, T0, NOW)
    later = T0 + timedelta(hours=1)
    assert repo.apply_billing_event("evt_1", "x", user.id, CANCELED, later, NOW) is (
        BillingOutcome.DUPLICATE
    )
    stored = repo.get_user(user.id)
    assert stored is not None and stored.active_plans == ("pro-monthly",)


def test_older_event_never_overwrites_newer_state(repo: Repository) -> None:
    user = repo.create_user(make_user())
    newer = T0 + timedelta(minutes=5)
    assert repo.apply_billing_event("evt_new", "x", user.id, CANCELED, newer, NOW) is (
        BillingOutcome.APPLIED
    )
    assert repo.apply_billing_event("evt_old", "x", user.id, PRO, T0, NOW) is (BillingOutcome.STALE)
    stored = repo.get_user(user.id)
    assert stored is not None
    assert stored.active_plans == ()
    assert stored.subscription_status == "canceled"
    assert stored.current_period_end is None
    # The stale event is still recorded, so its replay is a duplicate.
    assert repo.apply_billing_event("evt_old", "x", user.id, PRO, T0, NOW) is (
        BillingOutcome.DUPLICATE
    )


def test_unknown_user_is_not_found(repo: Repository) -> None:
    with pytest.raises(NotFound):
        repo.apply_billing_event("evt_x", "x", "missing", PRO, T0, NOW)
    assert not repo.has_processed_event("evt_x")


def test_concurrent_replays_apply_once(repo: Repository) -> None:
    user = repo.create_user(make_user())
    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(
            pool.map(
                lambda _: repo.apply_billing_event("evt_race", "x", user.id, PRO, T0, NOW),
                range(10),
            )
        )
    assert outcomes.count(BillingOutcome.APPLIED) == 1
    assert outcomes.count(BillingOutcome.DUPLICATE) == 9


def test_deleting_the_user_unlinks_the_customer(repo: Repository) -> None:
    user = repo.create_user(make_user())
    repo.apply_billing_event("evt_1", "x", user.id, PRO, T0, NOW)
    repo.delete_user(user.id)
    assert repo.get_user_by_stripe_customer("cus_1") is None
