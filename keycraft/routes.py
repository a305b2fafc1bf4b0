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

ALL_PAGES: tuple[PageRoute, ...] = (HOME, BILLING_RETURN)
"""Every page of the app; ``keycraft.pages.PAGES`` supplies a component for each."""

HEALTH_API = "/api/health"

SIGN_IN_PATH = "/sign-in"


def sign_in_url(next_path: str = "") -> str:
    """The sign-in page, returning to ``next_path`` (a same-site path) afterwards."""
    return f"{SIGN_IN_PATH}?{urlencode({'next': next_path})}" if next_path else SIGN_IN_PATH


ACCOUNT_PATH = "/account"
