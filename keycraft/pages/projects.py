"""The project list page (signed-in users only)."""

import reflex as rx

from keycraft.components.layout import page_layout
from keycraft.components.projects.project_list import (
    create_form,
    delete_dialog,
    message_banner,
    project_cards,
    rename_dialog,
)
from keycraft.components.transcription_panel import transcription_panel


def projects_page() -> rx.Component:
    """Render the user's projects."""
    return page_layout(
        rx.vstack(
            rx.heading("Your projects", as_="h1", size="7"),
            create_form(),
            transcription_panel(),
            message_banner(),
            project_cards(),
            rename_dialog(),
            delete_dialog(),
            spacing="5",
            width="100%",
            align="start",
        )
    )
