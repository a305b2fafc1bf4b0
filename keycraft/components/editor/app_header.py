"""The editor's own compact header: brand, way back to the projects, title, saved state, account.

The editor is a workspace, so it swaps the marketing navigation for the few things a learner
needs while editing; on a phone the title and saved badge wrap onto their own line.
"""

import reflex as rx

from keycraft.components.auth.nav import sign_out_button
from keycraft.components.layout import brand
from keycraft.routes import ACCOUNT, PROJECTS
from keycraft.state.editor import EditorState
from keycraft.state.editor_save import SAVE_FAILED, SAVED


def _save_indicator() -> rx.Component:
    colour = rx.match(EditorState.save_status, (SAVED, "green"), (SAVE_FAILED, "red"), "amber")
    return rx.badge(
        rx.icon("cloud", size=14, aria_hidden="true"),
        EditorState.save_label,
        color_scheme=colour,
        variant="soft",
        # The soft badges' own text colours fall just short of 4.5:1 (green: 4.28).
        high_contrast=True,
        flex_shrink="0",
        role="status",
        data_testid="save-status",
    )


def _title_field() -> rx.Component:
    # Renames on blur or Enter; typing only updates the field.
    return rx.input(
        value=EditorState.title,
        on_change=EditorState.set_title,
        on_blur=EditorState.save_title,
        on_key_down=lambda key: rx.cond(key == "Enter", EditorState.save_title, rx.noop()),
        max_length=120,
        size="2",
        variant="soft",
        width="100%",
        data_testid="project-title",
        aria_label="Project title",
    )


def _project_status() -> rx.Component:
    return rx.cond(
        EditorState.missing,
        rx.fragment(),
        rx.hstack(
            _title_field(),
            _save_indicator(),
            align="center",
            spacing="2",
            # Beside the links on wide screens; a full line of its own on a phone.
            flex="1 1 16rem",
            min_width="0",
            max_width="30rem",
            order=rx.breakpoints(initial="1", md="0"),
        ),
    )


def editor_app_header() -> rx.Component:
    """Brand, "← Projects", the project's title and saved state, Account and Sign out."""
    return rx.el.header(
        rx.flex(
            brand(name_display=rx.breakpoints(initial="none", sm="inline")),
            rx.link(
                "← Projects",
                href=PROJECTS.path,
                weight="medium",
                white_space="nowrap",
                data_testid="back-to-projects",
            ),
            _project_status(),
            rx.spacer(),
            rx.link("Account", href=ACCOUNT.path, data_testid="nav-account"),
            sign_out_button(),
            align="center",
            wrap="wrap",
            column_gap="1rem",
            row_gap="0.5rem",
            width="100%",
            padding_x=rx.breakpoints(initial="1rem", sm="1.5rem"),
            padding_y="0.75rem",
        ),
        border_bottom="1px solid var(--gray-a4)",
        width="100%",
    )
