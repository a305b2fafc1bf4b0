"""Pricing cards, one per plan, built from the plan definitions (no plan is hard-coded here)."""

import reflex as rx

from keycraft.components.auth.nav import start_button
from keycraft.components.link_button import link_button
from keycraft.routes import checkout_url
from keycraft.services.billing.pricing import PriceCard


def _feature(text: str) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.icon("check", size=16, color="var(--accent-11)", aria_hidden="true"),
            rx.text(text, size="2"),
            spacing="2",
            align="center",
        ),
        list_style="none",
    )


def _call_to_action(card: PriceCard, free_cta: str) -> rx.Component:
    variant = "solid" if card.highlighted or card.price == "$0" else "outline"
    if card.price == "$0":
        return start_button(free_cta, size="3", width="100%", variant=variant)
    if not card.purchasable:
        # No Payment Link configured (e.g. a local run): say so instead of a dead button.
        return rx.button("Not on sale yet", size="3", width="100%", disabled=True)
    return link_button(
        f"Choose {card.name}",
        href=checkout_url(card.plan_key),
        size="3",
        width="100%",
        variant=variant,
    )


def price_card(card: PriceCard, free_cta: str = "Start free") -> rx.Component:
    """One plan: name, price, what it includes, and how to start."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(card.name, as_="h3", size="5"),
                *([rx.badge("Most popular", radius="full")] if card.highlighted else []),
                justify="between",
                width="100%",
                align="center",
            ),
            rx.hstack(
                rx.text(card.price, size="8", weight="bold"),
                rx.text(card.period, size="2", color_scheme="gray"),
                align="baseline",
                spacing="2",
            ),
            rx.el.ul(*[_feature(f) for f in card.features], padding="0", margin="0"),
            rx.spacer(),
            _call_to_action(card, free_cta),
            spacing="4",
            height="100%",
        ),
        size="3",
        data_testid=f"plan-{card.plan_key}",
        border="2px solid var(--accent-9)" if card.highlighted else "",
    )


def pricing_section(
    cards: tuple[PriceCard, ...], heading_level: str = "h2", free_cta: str = "Start free"
) -> rx.Component:
    """The plans side by side (stacked on phones); ``free_cta`` labels the free plan's button."""
    return rx.el.section(
        rx.heading("Simple pricing", as_=heading_level, size="7"),
        rx.text(
            "Start free. Upgrade when you need more MIDI downloads.",
            color_scheme="gray",
            margin_bottom="1.5rem",
        ),
        rx.grid(
            *[price_card(card, free_cta) for card in cards],
            columns=rx.breakpoints(
                initial="1", sm=str(min(len(cards), 2)), lg=str(min(len(cards), 3))
            ),
            spacing="4",
            max_width="100%" if len(cards) > 1 else "24rem",
        ),
        id="pricing",
        padding_y="2.5rem",
        scroll_margin_top="1rem",
    )
