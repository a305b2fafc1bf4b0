"""A plain HTML form that really POSTs to an API route (``rx.el.form`` prevents submission)."""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var
from reflex_components_core.el.elements.base import BaseHTML


class PostForm(BaseHTML):
    """``<form method="post" action=...>``: the browser navigates to the server's answer.

    Sign-in answers must set an HttpOnly cookie and load a new page (the state only sees a
    cookie on a new connection), which a native form submission does by itself.
    """

    tag = "form"

    action: Var[str]
    method: Var[str]


def post_form(action: str | Var[str], *children: rx.Component, **props: object) -> rx.Component:
    """A POST form to ``action`` with ``children`` as its fields."""
    return PostForm.create(*children, action=action, method="post", **props)


def hidden(name: str, value: str | Var[str]) -> rx.Component:
    """A hidden form field."""
    return rx.el.input(type="hidden", name=name, value=value)


def field(
    label: str,
    name: str,
    *,
    type_: str = "text",
    autocomplete: str = "",
    required: bool = True,
    hint: str = "",
    min_length: int | None = None,
) -> rx.Component:
    """A labelled text input; the label is tied to the input for screen readers."""
    input_id = f"field-{name}"
    extra: dict[str, object] = {"min_length": min_length} if min_length else {}
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=input_id),
        rx.input(
            id=input_id,
            name=name,
            type=type_,
            auto_complete=autocomplete,
            required=required,
            size="3",
            width="100%",
            data_testid=f"input-{name}",
            **extra,
        ),
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
        spacing="1",
        width="100%",
    )


def submit(label: str, testid: str, **props: object) -> rx.Component:
    """The form's submit button."""
    return rx.button(label, type="submit", size="3", width="100%", data_testid=testid, **props)


def message(text: Var[str] | str, color: str, testid: str) -> rx.Component:
    """A callout shown only when ``text`` is non-empty (announced to screen readers)."""
    return rx.cond(
        text != "",
        rx.callout(text, color_scheme=color, role="alert", data_testid=testid, width="100%"),
    )
