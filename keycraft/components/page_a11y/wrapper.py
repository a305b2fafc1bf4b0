"""Python wrapper of ``page_a11y.jsx``: focus return after dialogs, names for slider handles."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec


class PageA11y(rx.NoSSRComponent):
    """Renders nothing; mount once per page (the layouts do).

    It remembers the last element focused outside a dialog (for ``return_focus``) and gives
    every slider handle inside a ``slider_name`` slider its name.
    """

    library = rx.asset("page_a11y.jsx", shared=True).importable_path
    tag = "PageA11y"


page_a11y = PageA11y.create


def return_focus() -> EventSpec:
    """An event for a dialog's ``on_close_auto_focus``: focus goes back where it was before.

    Radix returns focus only to a trigger button; dialogs opened by state (a shortcut, a
    refused export) would otherwise leave it at the top of the page.
    """
    return rx.call_script("window.keycraftReturnFocus && window.keycraftReturnFocus()")


def slider_name(label: str) -> dict[str, dict[str, str]]:
    """Keyword arguments that name a ``rx.slider``'s handle ``label`` for screen readers.

    Radix Themes puts ``aria_label`` on the slider's outer element, which has no role; the
    handle (``role=slider``) is what gets focus and must carry the name.
    """
    return {"custom_attrs": {"data-thumb-label": label}}
