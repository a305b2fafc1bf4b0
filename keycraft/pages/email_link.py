"""The email-link landing page: "check your inbox", then one click to finish signing in."""

import reflex as rx

from keycraft.components.auth.forms import auth_card, email_link_landing, form_messages
from keycraft.components.layout import page_layout
from keycraft.state.auth_forms import AuthFormState


def email_link_page() -> rx.Component:
    """Render the email-link landing page."""
    return page_layout(
        rx.box(
            auth_card("Sign in with your email link", form_messages(), email_link_landing()),
            on_mount=AuthFormState.load,
        )
    )
