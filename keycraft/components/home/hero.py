"""Home hero: the headline experiment, the promise, the calls to action and the live demo."""

import reflex as rx

from keycraft.components.auth.nav import start_button
from keycraft.components.experiments import experiment_slot
from keycraft.components.home.demo import demo_piece_card
from keycraft.components.link_button import link_button
from keycraft.routes import PRICING
from keycraft.services.experiments.catalog import HERO_HEADLINE


def _headline(text: str) -> rx.Component:
    return rx.heading(
        text,
        as_="h1",
        size=rx.breakpoints(initial="8", md="9"),
        line_height="1.1",
        letter_spacing="-0.02em",
        data_testid="hero-title",
    )


def headline_control() -> rx.Component:
    """Control: what the product does."""
    return _headline("KeyCraft: hear it, see it, fix it.")


def headline_outcome() -> rx.Component:
    """Variant: what the learner gets."""
    return _headline("Your piano recording, as clean MIDI, with KeyCraft.")


def _calls_to_action() -> rx.Component:
    return rx.hstack(
        start_button("Start free", size="3", data_testid="hero-cta"),
        link_button("See pricing", href=PRICING.path, size="3", variant="outline"),
        spacing="3",
        wrap="wrap",
    )


def hero_copy() -> rx.Component:
    """Badge, headline (an experiment), promise and calls to action."""
    return rx.vstack(
        rx.badge("Piano → MIDI, in your browser", size="2", variant="soft", radius="full"),
        experiment_slot(HERO_HEADLINE, control=headline_control, outcome=headline_outcome),
        rx.text(
            "Record or upload a piano piece. An AI model writes down every note as MIDI; "
            "you check it by ear, fix it in a piano roll, play it back and download it.",
            size=rx.breakpoints(initial="3", md="4"),
            color_scheme="gray",
            max_width="36rem",
        ),
        _calls_to_action(),
        rx.text("Free plan: no card needed.", size="2", color_scheme="gray"),
        spacing="5",
        align="start",
    )


def hero() -> rx.Component:
    """The first screen: copy beside the live demo (stacked on phones)."""
    return rx.el.section(
        rx.grid(
            hero_copy(),
            demo_piece_card(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="8",
            align="center",
        ),
        aria_label="Introduction",
        padding_y=rx.breakpoints(initial="2rem", md="4rem"),
    )
