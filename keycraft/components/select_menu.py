"""A Radix select whose trigger (the element users click) carries the test id."""

from collections.abc import Sequence
from typing import Any

import reflex as rx


def select_menu(
    options: Sequence[str] | rx.Var,
    value: rx.Var[str] | str,
    on_change: Any,
    test_id: str,
    label: str,
) -> rx.Component:
    """A dropdown of ``options`` (fixed, or a state list); ``label`` names it for screen readers."""
    items = (
        rx.foreach(options, lambda option: rx.select.item(option, value=option))
        if isinstance(options, rx.Var)
        else [rx.select.item(option, value=option) for option in options]
    )
    return rx.select.root(
        rx.select.trigger(data_testid=test_id, aria_label=label),
        rx.select.content(*items) if isinstance(items, list) else rx.select.content(items),
        value=value,
        on_change=on_change,
        size="2",
    )
