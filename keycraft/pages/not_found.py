"""The 404 page (served with HTTP status 404 for unknown paths)."""

import reflex as rx

from keycraft.components.layout import page_layout
from keycraft.components.not_found import not_found_panel


def not_found_page() -> rx.Component:
    """Render the 404 page."""
    return page_layout(not_found_panel())
