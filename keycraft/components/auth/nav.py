"""The navbar's sign-in / account controls, from the server-resolved session."""

from __future__ import annotations

import reflex as rx

from keycraft.components.auth.post_form import post_form
from keycraft.components.link_button import link_button
from keycraft.routes import ACCOUNT, LOGOUT_API, SIGN_IN, SIGN_UP
from keycraft.state.auth import AuthState


def auth_controls() -> rx.Component:
    """Account + sign out when signed in, sign in + sign up otherwise."""
    return rx.box(
        rx.cond(
            AuthState.signed_in,
            rx.hstack(
                rx.link("Account", href=ACCOUNT.path, data_testid="nav-account"),
                post_form(
                    LOGOUT_API,
                    rx.button(
                        "Sign out",
                        type="submit",
                        variant="soft",
                        color_scheme="gray",
                        data_testid="nav-sign-out",
                    ),
                ),
                align="center",
                spacing="4",
            ),
            rx.hstack(
                rx.link("Sign in", href=SIGN_IN.path, data_testid="nav-sign-in"),
                link_button("Sign up", href=SIGN_UP.path, data_testid="nav-sign-up"),
                align="center",
                spacing="4",
            ),
        ),
        # Resolved on the server from the HttpOnly cookie when the page connects.
        on_mount=AuthState.load_user,
    )
