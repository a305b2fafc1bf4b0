"""Home hero: what KeyCraft does, in one look."""

import reflex as rx

from keycraft.routes import PRODUCT_NAME


def hero() -> rx.Component:
    """The first screen of the home page."""
    return rx.vstack(
        rx.badge("Piano → MIDI, in your browser", size="2", variant="soft"),
        rx.heading(
            f"{PRODUCT_NAME}: hear it, see it, fix it.",
            as_="h1",
            size="9",
            data_testid="hero-title",
        ),
        rx.text(
            "Record or upload a piano piece. An AI model writes down every note as MIDI; "
            "you check it by ear, fix it in a piano roll, play it back and download it.",
            size="5",
            color_scheme="gray",
            max_width="44rem",
        ),
        rx.hstack(
            rx.link(rx.button("See how it works", size="3"), href="#how-it-works"),
            rx.link(rx.button("Features", size="3", variant="outline"), href="#features"),
            spacing="3",
            wrap="wrap",
        ),
        spacing="5",
        padding_y="4rem",
        align="start",
    )
