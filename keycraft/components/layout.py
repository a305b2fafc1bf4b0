"""The shared page frame: navbar, main content, footer."""

import reflex as rx

from keycraft.components.auth.nav import auth_controls
from keycraft.components.credits import piano_sound_credit
from keycraft.components.page_a11y import page_a11y
from keycraft.routes import HOME, PRICING, PRIVACY, PRODUCT_NAME, PROJECTS, TERMS
from keycraft.state.auth import AuthState


def brand(name_display: str | list[str] = "inline") -> rx.Component:
    """The logo and name, linking home; ``name_display`` can hide the name on small screens."""
    return rx.link(
        rx.hstack(
            rx.icon("piano", size=24, aria_hidden="true"),
            rx.text(PRODUCT_NAME, weight="bold", size="5", display=name_display),
            align="center",
            spacing="2",
        ),
        href=HOME.path,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        aria_label=f"{PRODUCT_NAME} home",
    )


def skip_link(
    label: str = "Skip to content", target_id: str = "main", focus_selector: str = ""
) -> rx.Component:
    """A link past the navigation, visible only when focused (for keyboard users).

    Args:
        label: The link's text.
        target_id: The id of the element the link scrolls to.
        focus_selector: A CSS selector of the control that should get keyboard focus; the
            client-side router handles ``#target`` links itself and leaves focus behind.
    """
    focus = (
        {"on_click": rx.call_script(f"document.querySelector({focus_selector!r})?.focus()")}
        if focus_selector
        else {}
    )
    return rx.el.a(
        label,
        href=f"#{target_id}",
        **focus,
        position="absolute",
        left="-9999px",
        _focus={
            "left": "1rem",
            "top": "1rem",
            "z_index": "10",
            "padding": "0.5rem 1rem",
            "background": "var(--color-panel-solid)",
            "border_radius": "var(--radius-2)",
        },
    )


def navbar() -> rx.Component:
    """Top navigation bar."""
    return rx.el.header(
        rx.hstack(
            brand(),
            rx.spacer(),
            rx.hstack(
                rx.link("How it works", href="/#how-it-works", color_scheme="gray"),
                rx.link("Features", href="/#features", color_scheme="gray"),
                rx.link("Pricing", href=PRICING.path, color_scheme="gray"),
                rx.link("FAQ", href="/#faq", color_scheme="gray"),
                spacing="5",
                display=["none", "none", "flex"],
            ),
            # Phones get the one link that matters most before signing up; signed-in
            # visitors' own links (projects, account) take that room instead.
            rx.cond(
                AuthState.signed_in,
                rx.fragment(),
                rx.link(
                    "Pricing",
                    href=PRICING.path,
                    color_scheme="gray",
                    display=["flex", "flex", "none"],
                ),
            ),
            auth_controls(),
            align="center",
            spacing=rx.breakpoints(initial="2", sm="3", md="5"),
            width="100%",
            max_width="1100px",
            margin_x="auto",
            padding_x=rx.breakpoints(initial="1rem", sm="1.5rem"),
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
            rx.cond(
                AuthState.signed_in,
                rx.link(
                    "Your projects",
                    href=PROJECTS.path,
                    size="2",
                    color_scheme="gray",
                    data_testid="footer-projects",
                ),
            ),
            rx.link("Pricing", href=PRICING.path, size="2", color_scheme="gray"),
            rx.link("Privacy", href=PRIVACY.path, size="2", color_scheme="gray"),
            rx.link("Terms", href=TERMS.path, size="2", color_scheme="gray"),
            rx.link("Health", href="/api/health", size="2", color_scheme="gray"),
            spacing="4",
            wrap="wrap",
            width="100%",
            max_width="1100px",
            margin_x="auto",
            padding="1.5rem",
        ),
        rx.box(
            piano_sound_credit(),
            width="100%",
            max_width="1100px",
            margin_x="auto",
            padding_x="1.5rem",
            padding_bottom="1.5rem",
        ),
        border_top="1px solid var(--gray-a4)",
        width="100%",
        margin_top="4rem",
    )


def page_layout(*children: rx.Component) -> rx.Component:
    """Frame page content with the navbar and footer."""
    return rx.box(
        skip_link(),
        page_a11y(),
        navbar(),
        rx.el.main(
            *children,
            id="main",
            width="100%",
            max_width="1100px",
            margin_x="auto",
            padding="1.5rem",
        ),
        footer(),
        min_height="100vh",
    )
