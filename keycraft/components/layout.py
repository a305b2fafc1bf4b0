"""The shared page frame: navbar, main content, footer."""

import reflex as rx

from keycraft.components.auth.nav import auth_controls
from keycraft.routes import HOME, PRODUCT_NAME


def _brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("piano", size=24),
            rx.text(PRODUCT_NAME, weight="bold", size="5"),
            align="center",
            spacing="2",
        ),
        href=HOME.path,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        aria_label=f"{PRODUCT_NAME} home",
    )


def navbar() -> rx.Component:
    """Top navigation bar."""
    return rx.el.header(
        rx.hstack(
            _brand(),
            rx.spacer(),
            rx.hstack(
                rx.link("How it works", href="/#how-it-works", color_scheme="gray"),
                rx.link("Features", href="/#features", color_scheme="gray"),
                spacing="5",
                display=["none", "none", "flex"],
            ),
            auth_controls(),
            align="center",
            width="100%",
            max_width="1100px",
            margin_x="auto",
            padding_x="1.5rem",
            padding_y="1rem",
        ),
        border_bottom="1px solid var(--gray-a4)",
        width="100%",
    )


def footer() -> rx.Component:
    """Site footer."""
    return rx.el.footer(
        rx.hstack(
            rx.text(f"© {PRODUCT_NAME}", size="2", color_scheme="gray"),
            rx.spacer(),
            rx.link("Health", href="/api/health", size="2", color_scheme="gray"),
            width="100%",
            max_width="1100px",
            margin_x="auto",
            padding="1.5rem",
        ),
        border_top="1px solid var(--gray-a4)",
        width="100%",
        margin_top="4rem",
    )


def page_layout(*children: rx.Component) -> rx.Component:
    """Frame page content with the navbar and footer."""
    return rx.box(
        navbar(),
        rx.el.main(*children, width="100%", max_width="1100px", margin_x="auto", padding="1.5rem"),
        footer(),
        min_height="100vh",
    )
