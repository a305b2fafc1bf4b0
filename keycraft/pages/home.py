"""The home page: composes the home sections inside the shared layout."""

import reflex as rx

from keycraft.components.home.features import features
from keycraft.components.home.hero import hero
from keycraft.components.home.how_it_works import how_it_works
from keycraft.components.layout import page_layout


def home_page() -> rx.Component:
    """Render the home page."""
    return page_layout(hero(), features(), how_it_works())
