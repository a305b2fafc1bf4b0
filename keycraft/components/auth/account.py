"""Sections of the account page: profile, sign-in methods, sessions, plan, danger zone."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from keycraft.components.auth.post_form import field, hidden, message, post_form
from keycraft.components.link_button import link_button
from keycraft.components.minutes_meter import minutes_meter
from keycraft.routes import (
    ACCOUNT_DELETE_API,
    ACCOUNT_PASSWORD_API,
    ACCOUNT_REVOKE_SESSION_API,
    LOGOUT_API,
    PORTAL_API,
    PRICING,
)
from keycraft.services.auth.passwords import MIN_PASSWORD_CHARS
from keycraft.state.account import AccountState


def section(title: str, *children: rx.Component, testid: str) -> rx.Component:
    """A titled card."""
    return rx.card(
        rx.vstack(rx.heading(title, as_="h2", size="4"), *children, spacing="3", width="100%"),
        width="100%",
        data_testid=testid,
    )


def account_messages() -> rx.Component:
    """The result of the last account change."""
    return rx.fragment(
        message(AccountState.error_message, "red", "account-error"),
        message(AccountState.notice_message, "green", "account-notice"),
    )


def profile_section() -> rx.Component:
    """Email (with its verification status) and name."""
    return section(
        "Profile",
        rx.data_list.root(
            rx.data_list.item(
                rx.data_list.label("Email"),
                rx.data_list.value(
                    rx.hstack(
                        rx.text(AccountState.email, data_testid="account-email"),
                        rx.cond(
                            AccountState.email_verified,
                            rx.badge("verified", color_scheme="green"),
                            rx.badge("not verified", color_scheme="amber"),
                        ),
                    )
                ),
            ),
            rx.data_list.item(
                rx.data_list.label("Name"),
                rx.data_list.value(rx.text(AccountState.name, data_testid="account-name")),
            ),
        ),
        testid="account-profile",
    )


def _password_form() -> rx.Component:
    return post_form(
        ACCOUNT_PASSWORD_API,
        rx.vstack(
            rx.cond(
                AccountState.has_password,
                field(
                    "Current password",
                    "current_password",
                    type_="password",
                    autocomplete="current-password",
                ),
            ),
            field(
                "New password",
                "new_password",
                type_="password",
                autocomplete="new-password",
                min_length=MIN_PASSWORD_CHARS,
                hint=f"At least {MIN_PASSWORD_CHARS} characters.",
            ),
            rx.button(
                rx.cond(AccountState.has_password, "Change password", "Add a password"),
                type="submit",
                variant="soft",
                data_testid="password-submit",
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
        data_testid="password-form",
    )


def methods_section() -> rx.Component:
    """How this account can sign in, and ways to add more."""
    return section(
        "Sign-in methods",
        rx.vstack(
            rx.text(
                "Password: ",
                rx.cond(AccountState.has_password, "set", "not set"),
                data_testid="method-password",
            ),
            rx.text("Email link: always available", size="2", color_scheme="gray"),
            rx.foreach(
                AccountState.linked_providers,
                lambda name: rx.text("Connected: ", name, data_testid="method-provider"),
            ),
            rx.foreach(
                AccountState.connectable_providers,
                lambda p: rx.button(
                    rx.el.a("Connect " + p["name"], href=p["href"], reload_document=True),
                    as_child=True,
                    variant="soft",
                    size="1",
                ),
            ),
            spacing="1",
        ),
        _password_form(),
        testid="account-methods",
    )


def _session_row(row: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.text(row["agent"], size="2"),
            rx.cond(row["current"] == "1", rx.badge("this device", color_scheme="indigo")),
        ),
        rx.table.cell(rx.text(row["last_seen"], size="2")),
        rx.table.cell(
            post_form(
                ACCOUNT_REVOKE_SESSION_API,
                hidden("session", row["id"]),
                rx.button("Sign out", type="submit", size="1", variant="soft", color_scheme="gray"),
                data_testid="revoke-session-form",
            )
        ),
    )


def sessions_section() -> rx.Component:
    """Where the account is signed in, with per-session and everywhere sign-out."""
    return section(
        "Active sessions",
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Browser"),
                    rx.table.column_header_cell("Last active"),
                    rx.table.column_header_cell(rx.el.span("Action", class_name="sr-only")),
                )
            ),
            rx.table.body(rx.foreach(AccountState.sessions, _session_row)),
            width="100%",
        ),
        post_form(
            LOGOUT_API,
            hidden("scope", "all"),
            rx.button(
                "Sign out everywhere",
                type="submit",
                variant="outline",
                color_scheme="red",
                data_testid="sign-out-everywhere",
            ),
        ),
        testid="account-sessions",
    )


def plan_section() -> rx.Component:
    """The plan and this month's MIDI download meter."""
    return section(
        "Plan",
        rx.text("Plan: ", rx.text.strong(AccountState.plan_name), data_testid="account-plan"),
        rx.progress(value=AccountState.quota_percent, aria_label="MIDI downloads used"),
        rx.text(
            AccountState.downloads_used,
            " of ",
            AccountState.downloads_limit,
            " MIDI downloads used this month · resets ",
            AccountState.reset_date,
            size="2",
            data_testid="account-quota",
        ),
        minutes_meter(),
        rx.cond(
            AccountState.billing_note != "",
            rx.callout(AccountState.billing_note, icon="info", color_scheme="amber", size="1"),
        ),
        rx.cond(
            AccountState.billing_managed,
            post_form(
                PORTAL_API,
                rx.button("Manage subscription", type="submit", variant="outline"),
            ),
            link_button("Upgrade for more downloads", href=PRICING.path),
        ),
        testid="account-plan-section",
    )


def danger_section() -> rx.Component:
    """Delete the account (confirmed by typing the email)."""
    return section(
        "Delete account",
        rx.text(
            "This deletes your account, projects, recordings and MIDI files. It cannot be undone.",
            size="2",
        ),
        post_form(
            ACCOUNT_DELETE_API,
            rx.vstack(
                field("Type your email to confirm", "confirm_email", type_="email"),
                rx.button(
                    "Delete my account",
                    type="submit",
                    color_scheme="red",
                    data_testid="delete-account-submit",
                ),
                spacing="2",
                align="start",
                width="100%",
            ),
            data_testid="delete-account-form",
        ),
        testid="account-delete",
    )
