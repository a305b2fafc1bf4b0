"""The piece's key ("Key: D major") above the roll, and the menu to read it in another key.

The label sits in the status line on every screen; the menu sits with the toolbar, which is
a row on a desktop and the Controls sheet on phones and tablets, so a phone's status line
stays one line.
"""

import reflex as rx

from keycraft.components.select_menu import select_menu
from keycraft.state.editor_key import KEY_OPTIONS, EditorKeyState


def key_label() -> rx.Component:
    """The key shown, and from a tablet up, where it comes from."""
    return rx.hstack(
        # Polite live text: a screen reader hears the new key once the learner picks one.
        rx.text(
            EditorKeyState.key_label,
            weight="bold",
            data_testid="key-label",
            aria_live="polite",
            title=EditorKeyState.key_note,
            white_space="nowrap",
        ),
        rx.text(
            EditorKeyState.key_note,
            size="1",
            color_scheme="gray",
            data_testid="key-note",
            display=rx.breakpoints(initial="none", md="block"),
        ),
        align="center",
        spacing="2",
    )


def key_select() -> rx.Component:
    """A named menu of the estimate and the 24 keys."""
    return rx.hstack(
        rx.text("Key", size="2", color_scheme="gray"),
        select_menu(
            KEY_OPTIONS, EditorKeyState.choice, EditorKeyState.set_key, "key-select", "Key"
        ),
        align="center",
        spacing="1",
    )
