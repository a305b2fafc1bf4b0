"""Where Stripe sends a buyer back: waits for the webhook, then shows the new plan."""

import reflex as rx

from keycraft.components.layout import page_layout
from keycraft.components.link_button import link_button
from keycraft.routes import ACCOUNT
from keycraft.state.billing import BillingReturnState


def _waiting() -> rx.Component:
    return rx.hstack(
        rx.spinner(size="3"),
        rx.text("Confirming your payment with Stripe…", size="4"),
        align="center",
        spacing="3",
    )


def _active() -> rx.Component:
    return rx.vstack(
        rx.heading("Welcome to ", BillingReturnState.plan_name, "!", as_="h1", size="7"),
        rx.text("Your plan is active. Your monthly downloads went up right away."),
        link_button("Go to your account", href=ACCOUNT.path, size="3"),
        spacing="4",
    )


def _timeout() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Stripe has not confirmed the payment yet. This can take a minute; "
            "nothing is lost if you leave this page.",
            size="4",
        ),
        rx.button("Check again", on_click=BillingReturnState.wait_for_plan, size="3"),
        spacing="4",
    )


def billing_return_page() -> rx.Component:
    """Render the checkout return page."""
    return page_layout(
        rx.box(
            rx.match(
                BillingReturnState.status,
                ("active", _active()),
                ("timeout", _timeout()),
                _waiting(),
            ),
            data_testid="billing-return",
            aria_live="polite",
            padding_y="4rem",
        )
    )
