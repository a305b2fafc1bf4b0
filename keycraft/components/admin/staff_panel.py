"""Staff management and the audit log on the admin page."""

import reflex as rx

from keycraft.state.staff_admin import StaffAdminState


def _member(row: rx.vars.ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["email"]),
        rx.table.cell(row["name"]),
        rx.table.cell(
            rx.button(
                "Remove",
                on_click=StaffAdminState.remove(row["email"]),  # type: ignore[operator]
                size="1",
                variant="soft",
                color_scheme="red",
                aria_label="Remove staff access of " + row["email"].to(str),
            )
        ),
    )


def staff_section() -> rx.Component:
    """Who is staff, a form to invite an existing account, a remove button each."""
    return rx.card(
        rx.vstack(
            rx.heading("Staff", as_="h2", size="5"),
            rx.form(
                rx.hstack(
                    rx.input(
                        name="email",
                        type="email",
                        placeholder="their account's email",
                        aria_label="Email of the account to make staff",
                        required=True,
                        width="18rem",
                    ),
                    rx.button("Invite to staff", type="submit"),
                    spacing="2",
                    wrap="wrap",
                ),
                on_submit=StaffAdminState.invite,
                reset_on_submit=True,
            ),
            rx.cond(
                StaffAdminState.notice != "",
                rx.callout(
                    StaffAdminState.notice, icon="check", color_scheme="green", role="status"
                ),
            ),
            rx.cond(
                StaffAdminState.error != "",
                rx.callout(
                    StaffAdminState.error, icon="triangle-alert", color_scheme="red", role="alert"
                ),
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Email"),
                        rx.table.column_header_cell("Name"),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(StaffAdminState.staff, _member)),
                size="1",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="staff-section",
    )


def _entry(row: rx.vars.ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["at"], white_space="nowrap"),
        rx.table.cell(row["actor"]),
        rx.table.cell(row["action"], white_space="nowrap"),
        rx.table.cell(row["target"]),
        rx.table.cell(row["detail"]),
    )


def audit_section() -> rx.Component:
    """The latest admin actions: who, what, when."""
    return rx.card(
        rx.vstack(
            rx.heading("Audit log", as_="h2", size="5"),
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(title)
                                for title in ("When", "Who", "What", "On", "Details")
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(StaffAdminState.audit, _entry)),
                    size="1",
                    width="100%",
                ),
                width="100%",
                overflow_x="auto",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="audit-log",
    )
