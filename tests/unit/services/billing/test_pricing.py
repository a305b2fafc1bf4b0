"""Pricing cards come from the plan definitions alone."""

from __future__ import annotations

from keycraft.services.billing.plans import FREE_PLAN, Plan
from keycraft.services.billing.pricing import format_price, price_cards

PRO_MONTHLY = Plan(key="pro_monthly", name="Pro", monthly_downloads=100, price_cents=800)
PRO_YEARLY = Plan(
    key="pro_yearly", name="Pro yearly", monthly_downloads=100, price_cents=7200, interval="year"
)


def test_prices_drop_zero_cents() -> None:
    assert [format_price(c) for c in (0, 800, 750, 123456)] == ["$0", "$8", "$7.50", "$1,234.56"]


def test_cards_show_price_period_and_download_limit_per_plan() -> None:
    free, monthly, yearly = price_cards((FREE_PLAN, PRO_MONTHLY, PRO_YEARLY))
    assert (free.price, free.period, free.highlighted) == ("$0", "forever", False)
    assert free.features[0] == "3 MIDI downloads a month"
    assert (monthly.price, monthly.period, monthly.highlighted) == ("$8", "per month", True)
    assert (yearly.price, yearly.period, yearly.highlighted) == ("$72", "per year", False)
    assert monthly.features[0] == "100 MIDI downloads a month"
    assert free.features[1] == "30 minutes of transcription a month"
    assert not any(card.highlighted for card in price_cards((FREE_PLAN,)))


def test_paid_plans_are_purchasable_only_with_a_payment_link() -> None:
    linked = Plan("pro", "Pro", 100, price_cents=800, payment_link_url="https://buy.example/x")
    free, unlinked, card = price_cards((FREE_PLAN, PRO_MONTHLY, linked))
    assert (free.purchasable, unlinked.purchasable, card.purchasable) == (False, False, True)
