"""Slider handles are named through their slider, and the shortcut list covers the roll's keys."""

from __future__ import annotations

import reflex as rx

from keycraft.components.editor.panels import SHORTCUTS
from keycraft.components.page_a11y import return_focus, slider_name


def test_a_named_slider_carries_the_name_for_its_handle_and_no_role_less_aria_label() -> None:
    slider = rx.slider(default_value=[0], min=-40, max=6, **slider_name("Volume"))
    rendered = str(slider.render())
    assert "data-thumb-label" in rendered
    assert "Volume" in rendered
    assert "aria-label" not in rendered


def test_return_focus_calls_the_page_helper() -> None:
    assert "keycraftReturnFocus" in str(return_focus())


def test_the_shortcut_list_documents_the_keyboard_editing_keys() -> None:
    keys = " | ".join(key for key, _ in SHORTCUTS)
    for documented in ("← → ↑ ↓", "Enter", "Tab, Shift + Tab", "Shift + ← → ↑ ↓", "Alt + ↑ ↓"):
        assert documented in keys
    for documented in ("Alt + ← →", "[ ]", "+ −", "Del, Backspace", "Page Up, Page Down"):
        assert documented in keys
