"""Builds the Reflex app, mounts the API routes and registers every page."""

import reflex as rx

from keycraft.api import build_api
from keycraft.pages import ON_LOAD, PAGES

app = rx.App(
    api_transformer=build_api(),
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml")],
)

for route, page in PAGES.items():
    app.add_page(
        page,
        route=route.path,
        title=route.title,
        description=route.description,
        on_load=ON_LOAD.get(route),
    )
