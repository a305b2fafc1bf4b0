"""The question asked before notes from a file or a recording replace a project's notes."""

from __future__ import annotations

from typing import Any

import reflex as rx

REPLACE_LABEL = "Replace the notes"
NEW_PROJECT_LABEL = "Add as a new project"


def replace_dialog(
    *,
    open_: Any,
    title: str,
    description: str,
    on_replace: Any,
    on_new_project: Any,
    on_cancel: Any,
    return_focus_id: str,
    test_id: str,
) -> rx.Component:
    """An alert dialog: "Replace the notes", "Add as a new project" or "Cancel".

    Keyboard: focus starts on Cancel, Tab moves between the answers, Escape cancels. When
    it closes, focus goes back to the control with id ``return_focus_id`` (the dialog has
    no trigger of its own to return to, as the answer to an upload opens it).

    Args:
        open_: Whether the dialog shows (a state var).
        title: The question.
        description: What each answer does.
        on_replace: Event for "Replace the notes".
        on_new_project: Event for "Add as a new project".
        on_cancel: Event for "Cancel" and Escape.
        return_focus_id: Id of the element focused after the dialog closes.
        test_id: ``data-testid`` of the dialog; its buttons add ``-replace``, ``-new``,
            ``-cancel``.
    """
    cancel_id = f"{test_id}-cancel-button"
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description),
            rx.flex(
                rx.button(
                    "Cancel",
                    variant="soft",
                    color_scheme="gray",
                    on_click=on_cancel,
                    id=cancel_id,
                    data_testid=f"{test_id}-cancel",
                ),
                rx.button(
                    NEW_PROJECT_LABEL,
                    variant="soft",
                    on_click=on_new_project,
                    data_testid=f"{test_id}-new",
                ),
                rx.button(
                    REPLACE_LABEL,
                    color_scheme="red",
                    on_click=on_replace,
                    data_testid=f"{test_id}-replace",
                ),
                justify="end",
                spacing="3",
                margin_top="1rem",
                wrap="wrap",
            ),
            # The safe answer has focus first, as in any alert dialog.
            on_open_auto_focus=rx.set_focus(cancel_id),
            on_escape_key_down=on_cancel,
            on_close_auto_focus=rx.set_focus(return_focus_id),
            data_testid=test_id,
        ),
        open=open_,
    )
