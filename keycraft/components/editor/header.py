"""Editor status line: how many notes the piece has and how many are selected."""

import reflex as rx

from keycraft.state.editor import EditorState


def editor_header() -> rx.Component:
    """Note and selection counts (title and saved state live in the app header)."""
    return rx.hstack(
        rx.text(EditorState.note_count, data_testid="note-count", weight="bold"),
        rx.text("notes", color_scheme="gray"),
        rx.text("·", color_scheme="gray"),
        rx.text(EditorState.selection_count, data_testid="selection-count"),
        rx.text("selected", color_scheme="gray"),
        align="center",
        spacing="2",
        width="100%",
        justify="end",
    )
