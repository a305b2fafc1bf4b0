"""Long-form text pages (privacy, terms): a readable column of headed sections."""

import reflex as rx


def prose_page(title: str, updated: str, *sections: tuple[str, str]) -> rx.Component:
    """A title, an 'updated' line and (heading, text) sections in a narrow column."""
    return rx.el.article(
        rx.heading(title, as_="h1", size="8", margin_bottom="0.5rem"),
        rx.text(f"Last updated {updated}", size="2", color_scheme="gray", margin_bottom="2rem"),
        *[
            rx.box(
                rx.heading(heading, as_="h2", size="5", margin_bottom="0.5rem"),
                rx.text(text, as_="p", line_height="1.7"),
                margin_bottom="1.75rem",
            )
            for heading, text in sections
        ],
        max_width="44rem",
        padding_y="2rem",
    )
