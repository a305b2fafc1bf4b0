"""A user's limit comes from their most generous active plan, else Free."""

from keycraft.services.billing.plans import FREE_PLAN, Plan, PlanCatalog, download_limit, plan_for
from tests.support.factories import make_user

PRO = Plan(key="pro-monthly", name="Pro", monthly_downloads=100, price_cents=900)
PRO_YEAR = Plan(key="pro-yearly", name="Pro yearly", monthly_downloads=100, interval="year")


def test_free_when_no_active_plan() -> None:
    assert plan_for(make_user(), (PRO,)) == FREE_PLAN
    assert download_limit(make_user()) == 3


def test_active_paid_plan_sets_the_limit() -> None:
    user = make_user(active_plans=("pro-monthly",))
    assert plan_for(user, (PRO, PRO_YEAR)) == PRO
    assert download_limit(user, (PRO,)) == 100


def test_unknown_plan_keys_fall_back_to_free() -> None:
    assert download_limit(make_user(active_plans=("retired",)), (PRO,)) == 3


def test_catalog_finds_plans_by_key_and_price() -> None:
    pro = Plan(
        key="pro-monthly",
        name="Pro",
        monthly_downloads=100,
        price_cents=900,
        stripe_price_id="price_123",
    )
    catalog = PlanCatalog((Plan("free", "Free", 5), pro))
    assert catalog.free.monthly_downloads == 5
    assert catalog.paid == (pro,)
    assert catalog.get("pro-monthly") == pro
    assert catalog.by_price_id("price_123") == pro
    assert catalog.by_price_id("") is None
    assert catalog.download_limit(make_user(active_plans=("pro-monthly",))) == 100
    assert catalog.download_limit(make_user()) == 5
