"""The "you have used this month's …" dialog that points to the plans, for any monthly limit."""

from typing import Any

import reflex as rx

from keycraft.components.link_button import link_button
from keycraft.components.page_a11y import return_focus
from keycraft.routes import PRICING


def upgrade_dialog(
    title: str,
    description: tuple[Any, ...],
    *,
    open_: rx.Var[bool] | bool,
    on_open_change: Any,
    test_id: str,
) -> rx.Component:
    """A dialog offering "Not now" or the pricing page.

    Args:
        title: What was used up, as the heading.
        description: Text and vars making up the explanation (concatenated).
        open_: The state var that shows the dialog.
        on_open_change: The state's explicit setter for ``open_``.
        test_id: ``data-testid`` of the dialog's content.
    """
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.dialog.description(*description),
            rx.hstack(
                rx.dialog.close(rx.button("Not now", variant="soft", color_scheme="gray")),
                link_button("See plans", href=PRICING.path, data_testid="upgrade-link"),
                justify="end",
                spacing="3",
                margin_top="1rem",
            ),
            # Focus goes back to the button that led here (Export, an upload), not the page top.
            on_close_auto_focus=return_focus(),
            data_testid=test_id,
        ),
        open=open_,
        on_open_change=on_open_change,
    )
