"""Route constants, URL builders and the one list of every page."""

from __future__ import annotations

from dataclasses import dataclass

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

ALL_PAGES: tuple[PageRoute, ...] = (HOME,)
"""Every page of the app; ``keycraft.pages.PAGES`` supplies a component for each."""

HEALTH_API = "/api/health"
