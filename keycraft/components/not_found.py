"""The 404 page body: say what happened and offer the way back."""

import reflex as rx

from keycraft.components.link_button import link_button
from keycraft.routes import HOME, PRICING


def not_found_panel() -> rx.Component:
    """A friendly 'page not found' with links home and to pricing."""
    return rx.vstack(
        rx.text("404", size="9", weight="bold", color="var(--accent-9)"),
        rx.heading("This page is out of tune", as_="h1", size="7", data_testid="not-found"),
        rx.text(
            "We could not find the page you asked for. It may have moved, or the link may "
            "have a typo.",
            color_scheme="gray",
            max_width="32rem",
        ),
        rx.hstack(
            link_button("Go to the home page", href=HOME.path, size="3"),
            link_button("See pricing", href=PRICING.path, size="3", variant="outline"),
            spacing="3",
            wrap="wrap",
            justify="center",
        ),
        align="center",
        text_align="center",
        spacing="4",
        padding_y="5rem",
    )
