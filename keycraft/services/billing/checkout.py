"""Where "Upgrade" and "Manage subscription" send a user."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from keycraft.services.billing.plans import Plan
from keycraft.services.domain import User


class PlanNotPurchasable(Exception):
    """The plan is unknown, free, or has no Payment Link configured."""


def payment_link_for(plan: Plan | None, user: User) -> str:
    """The plan's Stripe Payment Link, tagged with the user so the webhook can find them."""
    if plan is None or not plan.is_paid or not plan.payment_link_url:
        raise PlanNotPurchasable(plan.key if plan else "")
    parts = urlsplit(plan.payment_link_url)
    extra = urlencode({"client_reference_id": user.id, "prefilled_email": user.email})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
