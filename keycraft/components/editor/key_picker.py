"""The piece's key above the roll ("Key: D major") and the menu to read it in another key."""

import reflex as rx

from keycraft.components.select_menu import select_menu
from keycraft.state.editor_key import KEY_OPTIONS, EditorKeyState


def key_picker() -> rx.Component:
    """The key shown, where it comes from, and a named menu of the 24 keys plus the estimate."""
    return rx.hstack(
        # Polite live text: a screen reader hears the new key once the learner picks one.
        rx.text(
            EditorKeyState.key_label,
            weight="bold",
            data_testid="key-label",
            aria_live="polite",
            title=EditorKeyState.key_note,
        ),
        select_menu(
            KEY_OPTIONS, EditorKeyState.choice, EditorKeyState.set_key, "key-select", "Key"
        ),
        rx.text(EditorKeyState.key_note, size="1", color_scheme="gray", data_testid="key-note"),
        align="center",
        spacing="2",
        wrap="wrap",
    )
