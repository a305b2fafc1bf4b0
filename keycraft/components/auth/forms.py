"""The sign-up, sign-in and email-link forms, and the "continue with" provider buttons."""

from __future__ import annotations

import reflex as rx

from keycraft.components.auth.post_form import field, hidden, message, post_form, submit
from keycraft.routes import (
    EMAIL_LINK_API,
    EMAIL_LINK_VERIFY_API,
    SIGN_IN,
    SIGN_IN_API,
    SIGN_UP,
    SIGN_UP_API,
)
from keycraft.services.auth.passwords import MIN_PASSWORD_CHARS
from keycraft.state.auth_forms import AuthFormState


def form_messages() -> rx.Component:
    """The page's error or notice, if any."""
    return rx.fragment(
        message(AuthFormState.error_message, "red", "form-error"),
        message(AuthFormState.notice_message, "green", "form-notice"),
    )


def auth_card(title: str, *children: rx.Component) -> rx.Component:
    """A narrow centred card holding one auth step."""
    return rx.center(
        rx.card(
            rx.vstack(rx.heading(title, as_="h1", size="7"), *children, spacing="4"),
            size="4",
            width="100%",
            max_width="28rem",
        ),
        padding_y="3rem",
    )


def sign_up_form() -> rx.Component:
    """Name, email and password; answered by ``POST /api/auth/sign-up``."""
    return post_form(
        SIGN_UP_API,
        rx.vstack(
            field("Name", "name", autocomplete="name", required=False),
            field("Email", "email", type_="email", autocomplete="email"),
            field(
                "Password",
                "password",
                type_="password",
                autocomplete="new-password",
                hint=f"At least {MIN_PASSWORD_CHARS} characters; avoid common passwords.",
                min_length=MIN_PASSWORD_CHARS,
            ),
            hidden("next", AuthFormState.next_path),
            submit("Create account", "sign-up-submit"),
            spacing="3",
        ),
        data_testid="sign-up-form",
    )


def sign_in_form() -> rx.Component:
    """Email and password; answered by ``POST /api/auth/sign-in``."""
    return post_form(
        SIGN_IN_API,
        rx.vstack(
            field("Email", "email", type_="email", autocomplete="email"),
            field("Password", "password", type_="password", autocomplete="current-password"),
            hidden("next", AuthFormState.next_path),
            submit("Sign in", "sign-in-submit"),
            spacing="3",
        ),
        data_testid="sign-in-form",
    )


def email_link_form() -> rx.Component:
    """Ask for a one-time sign-in link by email."""
    return post_form(
        EMAIL_LINK_API,
        rx.vstack(
            rx.el.label(
                rx.text("Or get a sign-in link by email", size="2", weight="medium"),
                html_for="field-link-email",
            ),
            rx.hstack(
                rx.input(
                    id="field-link-email",
                    name="email",
                    type="email",
                    auto_complete="email",
                    required=True,
                    size="3",
                    flex="1",
                    data_testid="input-link-email",
                ),
                rx.button(
                    "Email me a link",
                    type="submit",
                    size="3",
                    variant="soft",
                    data_testid="email-link-submit",
                ),
                width="100%",
            ),
            hidden("next", AuthFormState.next_path),
            spacing="1",
            width="100%",
        ),
        data_testid="email-link-form",
    )


def provider_buttons() -> rx.Component:
    """One "Continue with …" button per enabled provider (none when none is configured)."""
    return rx.vstack(
        rx.foreach(
            AuthFormState.providers,
            # A document navigation: the start endpoint is a server route, which client-side
            # routing (what rx.el.a does by default) would never reach.
            lambda p: rx.button(
                rx.el.a("Continue with " + p["name"], href=p["href"], reload_document=True),
                as_child=True,
                size="3",
                variant="outline",
                width="100%",
                data_testid="oauth-" + p["key"],
            ),
        ),
        spacing="2",
        width="100%",
    )


def switch_link(text: str, label: str, href: str, testid: str) -> rx.Component:
    """A one-line cross-link such as "No account yet? Create one"."""
    # Underlined: in a line of text a link must not be told apart by its colour alone.
    link = rx.link(label, href=href, underline="always", data_testid=testid)
    return rx.text(text, " ", link, size="2")


def sign_up_switch() -> rx.Component:
    """Link from sign-in to sign-up."""
    return switch_link("New to KeyCraft?", "Create an account", SIGN_UP.path, "to-sign-up")


def sign_in_switch() -> rx.Component:
    """Link from sign-up to sign-in."""
    return switch_link("Already have an account?", "Sign in", SIGN_IN.path, "to-sign-in")


def email_link_landing() -> rx.Component:
    """The landing step: confirm with one click (a POST, so mail scanners can't use the link)."""
    return rx.cond(
        AuthFormState.token != "",
        post_form(
            EMAIL_LINK_VERIFY_API,
            rx.vstack(
                rx.text("Finish signing in to KeyCraft on this device."),
                hidden("token", AuthFormState.token),
                hidden("next", AuthFormState.next_path),
                submit("Sign in", "email-link-confirm"),
                spacing="3",
            ),
            data_testid="email-link-confirm-form",
        ),
        rx.cond(
            AuthFormState.link_sent,
            rx.vstack(
                rx.text(
                    "Check your inbox: we sent a sign-in link that works once and expires in "
                    "15 minutes.",
                    data_testid="email-link-sent",
                ),
                rx.cond(
                    AuthFormState.dev_link != "",
                    rx.callout.root(
                        rx.callout.text(
                            "Development mode, no SMTP server: ",
                            rx.link("open the sign-in link", href=AuthFormState.dev_link),
                        ),
                        color_scheme="amber",
                        data_testid="dev-email-link",
                    ),
                ),
                spacing="3",
            ),
            rx.link("Request a new sign-in link", href=SIGN_IN.path),
        ),
    )
