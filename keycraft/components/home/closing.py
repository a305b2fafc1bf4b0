"""The last call to action at the bottom of the landing page."""

import reflex as rx

from keycraft.components.auth.nav import start_button


def closing_call() -> rx.Component:
    """A final, short invitation to start."""
    return rx.el.section(
        rx.vstack(
            rx.heading("Play it. See it. Fix it.", as_="h2", size="7"),
            rx.text("Your first transcriptions are free.", color_scheme="gray", size="4"),
            start_button("Start free", size="3", data_testid="closing-cta"),
            align="center",
            spacing="4",
            text_align="center",
        ),
        padding="3rem 1.5rem",
        margin_top="2rem",
        border_radius="var(--radius-5)",
        background="linear-gradient(135deg, var(--accent-a3), var(--accent-a5))",
    )
