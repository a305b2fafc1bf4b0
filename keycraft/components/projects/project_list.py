"""The project list: a create form, one card per project, rename and delete dialogs."""

# mypy types @rx.event handlers as the EventNamespace decorator; binding arguments by
# calling them is how Reflex works, hence the "operator" ignores below.
import reflex as rx

from keycraft.components.job_status import card_job_status
from keycraft.components.page_a11y import return_focus
from keycraft.state.projects import ProjectRow, ProjectsState


def create_form() -> rx.Component:
    """Title field and a button that creates a project and opens it."""
    return rx.form(
        rx.hstack(
            rx.input(
                placeholder="New piece title",
                value=ProjectsState.new_title,
                on_change=ProjectsState.set_new_title,
                max_length=120,
                data_testid="new-project-title",
                aria_label="New piece title (optional)",
                flex="1 1 12rem",
                max_width="18rem",
            ),
            rx.button(
                rx.icon("plus", size=16, aria_hidden="true"),
                "New project",
                size="2",
                data_testid="new-project",
            ),
            spacing="2",
            wrap="wrap",
            width="100%",
        ),
        on_submit=lambda _: ProjectsState.create(),  # type: ignore[operator]
        reset_on_submit=False,
    )


def _project_card(row: ProjectRow) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.link(
                    rx.text(row.title, weight="bold", size="4"),
                    href=row.href,
                    data_testid="project-link",
                ),
                rx.text(
                    row.note_count,
                    " notes · updated ",
                    row.updated,
                    size="2",
                    color_scheme="gray",
                ),
                card_job_status(row.id),
                spacing="1",
                align="start",
            ),
            rx.spacer(),
            rx.button(
                "Rename",
                variant="soft",
                size="1",
                on_click=ProjectsState.start_rename(row.id, row.title),  # type: ignore[operator]
            ),
            rx.button(
                "Duplicate",
                variant="soft",
                size="1",
                on_click=ProjectsState.duplicate(row.id),  # type: ignore[operator]
                data_testid="duplicate-project",
            ),
            rx.button(
                "Delete",
                variant="soft",
                color_scheme="red",
                size="1",
                on_click=ProjectsState.ask_delete(row.id),  # type: ignore[operator]
                data_testid="delete-project",
            ),
            align="center",
            width="100%",
            spacing="2",
        ),
        width="100%",
        data_testid="project-row",
    )


def _empty_state() -> rx.Component:
    # A first-time learner lands here right after signing up: say what to do next.
    return rx.card(
        rx.vstack(
            rx.heading("No projects yet", as_="h2", size="4"),
            rx.text(
                "Two ways to start: upload a piano recording with “Transcribe a recording” "
                "and it opens as a new project with its notes written out; or press "
                "“New project”, then import a MIDI file or draw notes in the editor."
            ),
            spacing="2",
        ),
        width="100%",
        variant="surface",
        data_testid="projects-empty",
    )


def project_cards() -> rx.Component:
    """Every project, or what to do next when there are none yet."""
    return rx.cond(
        ProjectsState.rows.length() > 0,
        rx.vstack(rx.foreach(ProjectsState.rows, _project_card), width="100%", spacing="3"),
        rx.cond(ProjectsState.loaded, _empty_state(), rx.spinner()),
    )


def rename_dialog() -> rx.Component:
    """Asks for the new title of a project."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Rename project"),
            rx.input(
                value=ProjectsState.rename_title,
                on_change=ProjectsState.set_rename_title,
                max_length=120,
                aria_label="New title",
                data_testid="rename-title",
            ),
            rx.hstack(
                rx.button("Cancel", variant="soft", on_click=ProjectsState.cancel_dialogs),
                rx.button(
                    "Rename", on_click=ProjectsState.confirm_rename, data_testid="rename-save"
                ),
                justify="end",
                spacing="2",
                margin_top="1rem",
            ),
            on_close_auto_focus=return_focus(),
        ),
        open=ProjectsState.rename_id != "",
        on_open_change=lambda _: ProjectsState.cancel_dialogs(),  # type: ignore[operator]
    )


def delete_dialog() -> rx.Component:
    """Confirms deleting a project."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this project?"),
            rx.alert_dialog.description("Its notes cannot be recovered."),
            rx.hstack(
                rx.button("Cancel", variant="soft", on_click=ProjectsState.cancel_dialogs),
                rx.button(
                    "Delete",
                    color_scheme="red",
                    on_click=ProjectsState.confirm_delete,
                    data_testid="confirm-delete",
                ),
                justify="end",
                spacing="2",
                margin_top="1rem",
            ),
            on_close_auto_focus=return_focus(),
        ),
        open=ProjectsState.delete_id != "",
    )


def message_banner() -> rx.Component:
    """The latest error, if any."""
    return rx.cond(
        ProjectsState.message != "",
        rx.callout(ProjectsState.message, icon="triangle_alert", color_scheme="red"),
    )
