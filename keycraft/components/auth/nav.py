"""The navbar's sign-in / account controls, from the server-resolved session."""

from __future__ import annotations

import reflex as rx

from keycraft.components.auth.post_form import post_form
from keycraft.components.link_button import link_button
from keycraft.routes import ACCOUNT, ADMIN_EXPERIMENTS, LOGOUT_API, PROJECTS, SIGN_IN, SIGN_UP
from keycraft.state.auth import AuthState


def sign_out_button() -> rx.Component:
    """A real POST to the logout route (a link could be triggered by another site)."""
    return post_form(
        LOGOUT_API,
        rx.button(
            "Sign out",
            type="submit",
            variant="soft",
            color_scheme="gray",
            # Smaller on phones so the signed-in links fit on one line beside the brand.
            size=rx.breakpoints(initial="1", sm="2"),
            white_space="nowrap",
            data_testid="nav-sign-out",
        ),
    )


def auth_controls() -> rx.Component:
    """Projects, account and sign out when signed in; sign in and sign up otherwise."""
    return rx.box(
        rx.cond(
            AuthState.signed_in,
            rx.hstack(
                rx.link(
                    "Projects", href=PROJECTS.path, weight="medium", data_testid="nav-projects"
                ),
                rx.link("Account", href=ACCOUNT.path, data_testid="nav-account"),
                rx.cond(
                    AuthState.user_is_staff,
                    rx.link("Experiments", href=ADMIN_EXPERIMENTS.path, data_testid="nav-admin"),
                ),
                sign_out_button(),
                align="center",
                spacing=rx.breakpoints(initial="3", sm="4"),
            ),
            rx.hstack(
                rx.link("Sign in", href=SIGN_IN.path, data_testid="nav-sign-in"),
                link_button("Sign up", href=SIGN_UP.path, data_testid="nav-sign-up"),
                align="center",
                spacing=rx.breakpoints(initial="3", sm="4"),
            ),
        ),
        # Resolved on the server from the HttpOnly cookie when the page connects.
        on_mount=AuthState.load_user,
    )


def start_button(label: str, **button_props: object) -> rx.Component:
    """A "get started" call to action: sign-up for visitors, their projects once signed in.

    Someone who already has an account has nothing to sign up for; the same spot takes them
    to their work instead. ``button_props`` style both variants alike.
    """
    return rx.cond(
        AuthState.signed_in,
        link_button("Go to your projects", href=PROJECTS.path, **button_props),
        link_button(label, href=SIGN_UP.path, **button_props),
    )
