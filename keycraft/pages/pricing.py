"""The pricing page: every plan billing defines, then the questions people ask before paying."""

import reflex as rx

from keycraft.components.experiments import experiment_slot
from keycraft.components.home.faq import faq
from keycraft.components.layout import page_layout
from keycraft.components.pricing import pricing_section
from keycraft.config import get_settings
from keycraft.services.billing.pricing import price_cards
from keycraft.services.container import plan_catalog
from keycraft.services.experiments.catalog import PRICING_CTA


def _plans(free_cta: str) -> rx.Component:
    return pricing_section(
        price_cards(plan_catalog(get_settings()).plans), heading_level="h1", free_cta=free_cta
    )


def pricing_page() -> rx.Component:
    """Render the pricing page."""
    return page_layout(
        experiment_slot(
            PRICING_CTA,
            control=lambda: _plans("Start free"),
            try_free=lambda: _plans("Try it free"),
        ),
        faq(),
    )
