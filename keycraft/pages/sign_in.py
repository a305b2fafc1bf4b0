"""The sign-in page."""

import reflex as rx

from keycraft.components.auth.forms import (
    auth_card,
    email_link_form,
    form_messages,
    provider_buttons,
    sign_in_form,
    sign_up_switch,
)
from keycraft.components.layout import page_layout
from keycraft.state.auth_forms import AuthFormState


def sign_in_page() -> rx.Component:
    """Render the sign-in page."""
    return page_layout(
        rx.box(
            auth_card(
                "Sign in",
                form_messages(),
                sign_in_form(),
                provider_buttons(),
                email_link_form(),
                sign_up_switch(),
            ),
            on_mount=[AuthFormState.load, AuthFormState.leave_if_signed_in],
        )
    )
