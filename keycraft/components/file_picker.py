"""A button-like file picker whose real ``<input type=file>`` carries a test id."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.components.component import BaseComponent
from reflex_components_core.el.elements.forms import Input


def upload_input_id(upload_id: str) -> str:
    """The DOM id of the ``<input type=file>`` of the picker ``upload_id``.

    The browser recorder hands its take to this input, so a recording takes the upload path.
    """
    return f"{upload_id}-file"


def _tag_input(component: BaseComponent, test_id: str, input_id: str) -> bool:
    # rx.upload builds its <input type=file> internally; find it to label it for tests
    # and assistive technology (Playwright's set_input_files needs the input itself).
    for child in component.children:
        if isinstance(child, Input):  # an Input is a Component, which has custom_attrs
            child.custom_attrs["data-testid"] = test_id
            child.custom_attrs["aria-label"] = test_id.replace("-", " ")
            child.custom_attrs["id"] = input_id
            return True
        if _tag_input(child, test_id, input_id):
            return True
    return False


def file_picker(
    label: str,
    icon: str,
    upload_id: str,
    test_id: str,
    on_drop: Any,
    accept: dict[str, list[str]],
    max_size_bytes: int,
    button_id: str | None = None,
) -> rx.Component:
    """A single-file picker that uploads as soon as a file is chosen or dropped.

    ``button_id`` names the visible button, so focus can be sent back to it.
    """
    named = {"id": button_id} if button_id else {}
    button = rx.button(
        rx.icon(icon, size=16), label, variant="soft", size="2", type="button", **named
    )
    picker = rx.upload(
        button,
        id=upload_id,
        multiple=False,
        max_files=1,
        accept=accept,
        max_size=max_size_bytes,
        no_drag=False,
        # The button inside is the one Tab stop (it opens the picker by its click); the drop
        # area around it would otherwise be a second, unnamed one.
        no_keyboard=True,
        on_drop=on_drop,
        border="none",
        padding="0",
    )
    if not _tag_input(picker, test_id, upload_input_id(upload_id)):
        raise RuntimeError("rx.upload no longer renders an input element")
    return picker
