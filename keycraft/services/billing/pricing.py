"""What the pricing page shows, derived from the plan definitions and nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from keycraft.services.billing.plans import Plan

INCLUDED_IN_EVERY_PLAN: tuple[str, ...] = (
    "Audio to MIDI transcription",
    "Piano-roll editor with undo",
    "Sampled piano playback",
)
"""Features every plan has; plan-specific lines come from the plan itself."""


@dataclass(frozen=True, slots=True)
class PriceCard:
    """One plan as a pricing card."""

    plan_key: str
    name: str
    price: str
    period: str
    features: tuple[str, ...]
    highlighted: bool
    purchasable: bool
    """Paid plans can be bought only once a Stripe Payment Link is configured."""


def format_price(price_cents: int) -> str:
    """'$0', '$8', '$7.50': whole dollars drop the cents."""
    dollars, cents = divmod(price_cents, 100)
    return f"${dollars:,}" if cents == 0 else f"${dollars:,}.{cents:02d}"


def price_period(plan: Plan) -> str:
    """'forever' for free plans, otherwise 'per month' / 'per year'."""
    return "forever" if plan.price_cents == 0 else f"per {plan.interval}"


def price_cards(plans: tuple[Plan, ...]) -> tuple[PriceCard, ...]:
    """A card per plan; the most generous paid plan is highlighted."""
    paid = [p for p in plans if p.price_cents > 0]
    best = max(paid, key=lambda p: (p.monthly_downloads, -p.price_cents), default=None)
    return tuple(
        PriceCard(
            plan_key=plan.key,
            name=plan.name,
            price=format_price(plan.price_cents),
            period=price_period(plan),
            features=(
                f"{plan.monthly_downloads:,} MIDI downloads a month",
                f"{plan.monthly_transcription_minutes:,} minutes of transcription a month",
                *INCLUDED_IN_EVERY_PLAN,
            ),
            highlighted=best is not None and plan.key == best.key,
            purchasable=plan.is_paid and bool(plan.payment_link_url),
        )
        for plan in plans
    )
