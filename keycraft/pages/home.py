"""The landing page: hero with the live demo, features, steps, pricing, questions."""

import reflex as rx

from keycraft.components.home.closing import closing_call
from keycraft.components.home.faq import faq
from keycraft.components.home.features import features
from keycraft.components.home.hero import hero
from keycraft.components.home.how_it_works import how_it_works
from keycraft.components.layout import page_layout
from keycraft.components.pricing import pricing_section
from keycraft.config import get_settings
from keycraft.services.billing.pricing import price_cards
from keycraft.services.container import plan_catalog


def home_page() -> rx.Component:
    """Render the landing page."""
    return page_layout(
        hero(),
        features(),
        how_it_works(),
        pricing_section(price_cards(plan_catalog(get_settings()).plans)),
        faq(),
        closing_call(),
    )
