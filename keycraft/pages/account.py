"""The account page (signed-in users only; the state checks the session before loading)."""

import reflex as rx

from keycraft.components.auth.account import (
    account_messages,
    danger_section,
    methods_section,
    plan_section,
    profile_section,
    sessions_section,
)
from keycraft.components.layout import page_layout
from keycraft.components.link_button import link_button
from keycraft.routes import PROJECTS
from keycraft.state.account import AccountState


def account_page() -> rx.Component:
    """Render the account page."""
    return page_layout(
        rx.box(
            rx.cond(
                AccountState.loaded,
                rx.vstack(
                    rx.hstack(
                        rx.heading("Your account", as_="h1", size="7"),
                        link_button(
                            "Your projects",
                            href=PROJECTS.path,
                            variant="soft",
                            data_testid="account-projects",
                        ),
                        justify="between",
                        align="center",
                        wrap="wrap",
                        width="100%",
                    ),
                    account_messages(),
                    profile_section(),
                    plan_section(),
                    methods_section(),
                    sessions_section(),
                    danger_section(),
                    spacing="4",
                    max_width="44rem",
                    margin_x="auto",
                ),
                rx.center(rx.spinner(size="3"), padding="4rem", aria_label="Loading"),
            ),
            on_mount=AccountState.load,
        )
    )
