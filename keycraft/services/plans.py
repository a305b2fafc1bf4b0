"""Plans and what each allows; the one definition pricing, quotas and billing read."""

from __future__ import annotations

from dataclasses import dataclass

from keycraft.services.domain import User


@dataclass(frozen=True, slots=True)
class Plan:
    """A plan a user can be on."""

    key: str
    name: str
    monthly_downloads: int
    price_cents: int = 0
    interval: str = "month"
    stripe_price_id: str = ""
    payment_link_url: str = ""


FREE_PLAN = Plan(key="free", name="Free", monthly_downloads=3)


def plan_for(user: User, plans: tuple[Plan, ...] = ()) -> Plan:
    """Return the most generous active plan of ``user`` among ``plans``, else Free."""
    active = [p for p in plans if p.key in user.active_plans]
    return max(active, key=lambda p: p.monthly_downloads, default=FREE_PLAN)


def download_limit(user: User, plans: tuple[Plan, ...] = ()) -> int:
    """Monthly MIDI downloads ``user`` may make."""
    return plan_for(user, plans).monthly_downloads
