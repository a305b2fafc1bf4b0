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
    monthly_transcription_minutes: int = 30
    """Minutes of recordings the plan transcribes a month (see docs/jobs.md, "Fair use")."""
    price_cents: int = 0
    interval: str = "month"
    stripe_price_id: str = ""
    payment_link_url: str = ""

    @property
    def is_paid(self) -> bool:
        """Whether the plan is sold through Stripe."""
        return self.price_cents > 0


FREE_PLAN = Plan(key="free", name="Free", monthly_downloads=3, monthly_transcription_minutes=30)


@dataclass(frozen=True, slots=True)
class PlanCatalog:
    """Every plan on offer, in display order; the first unpaid plan is the default."""

    plans: tuple[Plan, ...] = (FREE_PLAN,)

    @property
    def free(self) -> Plan:
        """The plan everyone has without paying."""
        return next((p for p in self.plans if not p.is_paid), FREE_PLAN)

    @property
    def paid(self) -> tuple[Plan, ...]:
        """Plans sold through Stripe."""
        return tuple(p for p in self.plans if p.is_paid)

    def get(self, key: str) -> Plan | None:
        """The plan with this key, if offered."""
        return next((p for p in self.plans if p.key == key), None)

    def by_price_id(self, price_id: str) -> Plan | None:
        """The paid plan sold at this Stripe Price, if any."""
        if not price_id:
            return None
        return next((p for p in self.plans if p.stripe_price_id == price_id), None)

    def for_user(self, user: User) -> Plan:
        """The most generous plan among the user's active plans, else the free plan."""
        return plan_for(user, self.plans)

    def download_limit(self, user: User) -> int:
        """Monthly MIDI downloads ``user`` may make."""
        return self.for_user(user).monthly_downloads

    def transcription_seconds(self, user: User) -> int:
        """Seconds of recordings ``user`` may have transcribed a month."""
        return 60 * self.for_user(user).monthly_transcription_minutes


def plan_for(user: User, plans: tuple[Plan, ...] = (), default: Plan = FREE_PLAN) -> Plan:
    """Return the most generous active plan of ``user`` among ``plans``, else ``default``."""
    active = [p for p in plans if p.key in user.active_plans]
    # The configured free plan (first unpaid one) wins over the built-in default.
    fallback = next((p for p in plans if not p.is_paid), default)
    return max(active, key=lambda p: p.monthly_downloads, default=fallback)


def download_limit(user: User, plans: tuple[Plan, ...] = ()) -> int:
    """Monthly MIDI downloads ``user`` may make."""
    return plan_for(user, plans).monthly_downloads
