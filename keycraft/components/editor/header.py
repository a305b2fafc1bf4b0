"""Editor header: back link, editable title and the saved indicator."""

import reflex as rx

from keycraft.routes import PROJECTS
from keycraft.state.editor import SAVE_FAILED, SAVED, EditorState


def _save_indicator() -> rx.Component:
    colour = rx.match(EditorState.save_status, (SAVED, "green"), (SAVE_FAILED, "red"), "amber")
    return rx.badge(
        rx.icon("cloud", size=14),
        EditorState.save_label,
        color_scheme=colour,
        variant="soft",
        data_testid="save-status",
    )


def editor_header() -> rx.Component:
    """Title (rename on blur or Enter) and save state."""
    return rx.hstack(
        rx.link(rx.icon("arrow-left", size=18), href=PROJECTS.path, aria_label="All projects"),
        rx.input(
            value=EditorState.title,
            on_change=EditorState.set_title,
            on_blur=EditorState.save_title,
            on_key_down=lambda key: rx.cond(key == "Enter", EditorState.save_title, rx.noop()),
            max_length=120,
            size="3",
            variant="soft",
            width="24rem",
            data_testid="project-title",
            aria_label="Project title",
        ),
        _save_indicator(),
        rx.spacer(),
        rx.text(
            EditorState.note_count,
            data_testid="note-count",
            weight="bold",
        ),
        rx.text("notes", color_scheme="gray"),
        rx.text("·", color_scheme="gray"),
        rx.text(EditorState.selection_count, data_testid="selection-count"),
        rx.text("selected", color_scheme="gray"),
        align="center",
        spacing="2",
        width="100%",
    )
