"""Editor status line: the piece's key, how many notes it has and how many are selected."""

import reflex as rx

from keycraft.components.editor.key_picker import key_label
from keycraft.state.editor import EditorState


def editor_header() -> rx.Component:
    """Key, note and selection counts (title and saved state live in the app header)."""
    return rx.hstack(
        key_label(),
        rx.spacer(),
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
