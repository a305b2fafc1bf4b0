"""The sign-up page."""

import reflex as rx

from keycraft.components.auth.forms import (
    auth_card,
    email_link_form,
    form_messages,
    provider_buttons,
    sign_in_switch,
    sign_up_form,
)
from keycraft.components.layout import page_layout
from keycraft.state.auth_forms import AuthFormState


def sign_up_page() -> rx.Component:
    """Render the sign-up page."""
    return page_layout(
        rx.box(
            auth_card(
                "Create your account",
                form_messages(),
                sign_up_form(),
                provider_buttons(),
                email_link_form(),
                sign_in_switch(),
            ),
            on_mount=[AuthFormState.load, AuthFormState.leave_if_signed_in],
        )
    )
