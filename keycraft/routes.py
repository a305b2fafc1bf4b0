"""Route constants, URL builders and the one list of every page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

PRODUCT_NAME = "KeyCraft"


@dataclass(frozen=True)
class PageRoute:
    """A page's path and its search/social metadata."""

    path: str
    title: str
    description: str


HOME = PageRoute(
    path="/",
    title=f"{PRODUCT_NAME} — turn piano recordings into editable MIDI",
    description=(
        "Record or upload a piano piece, get it transcribed to MIDI, fix the notes in a "
        "piano-roll editor, play it back and download the MIDI."
    ),
)

BILLING_RETURN = PageRoute(
    path="/billing/return",
    title=f"Payment received — {PRODUCT_NAME}",
    description="Confirming your KeyCraft subscription.",
)

PRICING = PageRoute(
    path="/pricing",
    title=f"Pricing — {PRODUCT_NAME}",
    description=(
        f"Start free with {PRODUCT_NAME}: transcribe piano recordings to MIDI, edit them in a "
        "piano roll and download a few MIDI files every month."
    ),
)

PRIVACY = PageRoute(
    path="/privacy",
    title=f"Privacy — {PRODUCT_NAME}",
    description=f"What {PRODUCT_NAME} stores about you, why, for how long, and your choices.",
)

TERMS = PageRoute(
    path="/terms",
    title=f"Terms of service — {PRODUCT_NAME}",
    description=f"The terms for using {PRODUCT_NAME}, its free plan and its paid plans.",
)

ADMIN_EXPERIMENTS = PageRoute(
    path="/admin/experiments",
    title=f"Experiments — {PRODUCT_NAME} staff",
    description="Results of running A/B experiments (staff only).",
)

NOT_FOUND = PageRoute(
    path="404",
    title=f"Page not found — {PRODUCT_NAME}",
    description=f"This page does not exist. Go back to {PRODUCT_NAME}'s home page.",
)

PUBLIC_PAGES: tuple[PageRoute, ...] = (HOME, PRICING, PRIVACY, TERMS)
"""Pages listed in sitemap.xml and open to crawlers."""

ALL_PAGES: tuple[PageRoute, ...] = (
    HOME,
    PRICING,
    PRIVACY,
    TERMS,
    ADMIN_EXPERIMENTS,
    NOT_FOUND,
    BILLING_RETURN,
)
"""Every page of the app; ``keycraft.pages.PAGES`` supplies a component for each."""

HEALTH_API = "/api/health"
CHECKOUT_API = "/api/billing/checkout"


def checkout_url(plan_key: str) -> str:
    """Where "Choose <plan>" goes: the checkout redirect (signed-out visitors sign in first)."""
    return f"{CHECKOUT_API}?{urlencode({'plan': plan_key})}"


SIGN_IN_PATH = "/sign-in"
SIGN_UP_PATH = "/sign-up"

ROBOTS_TXT = "/robots.txt"
SITEMAP_XML = "/sitemap.xml"
EXPERIMENT_CSV_API = "/api/admin/experiments/{key}.csv"
DEMO_MIDI = "/demo/minuet-in-g.mid"
OG_IMAGE = "/og-image.png"


def experiment_csv_url(key: str) -> str:
    """Download URL of one experiment's results as CSV."""
    return EXPERIMENT_CSV_API.format(key=key)


def sign_in_url(next_path: str = "") -> str:
    """The sign-in page, returning to ``next_path`` (a same-site path) afterwards."""
    return f"{SIGN_IN_PATH}?{urlencode({'next': next_path})}" if next_path else SIGN_IN_PATH


ACCOUNT_PATH = "/account"
