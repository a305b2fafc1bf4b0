"""One module per page; ``PAGES`` pairs every route with its component."""

from collections.abc import Callable

import reflex as rx

from keycraft.pages.home import home_page
from keycraft.routes import HOME, PageRoute

PAGES: dict[PageRoute, Callable[[], rx.Component]] = {
    HOME: home_page,
}
