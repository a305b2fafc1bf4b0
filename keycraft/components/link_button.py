"""A link that looks like a button: one element, one tab stop, real navigation."""

from __future__ import annotations

from typing import Any

import reflex as rx


def link_button(*children: rx.Component | str, href: str, **button_props: Any) -> rx.Component:
    """An ``<a href>`` styled as a Radix button.

    Wrapping a ``<button>`` in a link nests two interactive elements, which gives keyboard
    users two tab stops and screen readers a confusing control; ``as_child`` renders just
    the anchor with the button's look.
    """
    anchor_props = {
        k: button_props.pop(k) for k in ("download", "data_testid") if k in button_props
    }
    return rx.button(rx.el.a(*children, href=href, **anchor_props), as_child=True, **button_props)
