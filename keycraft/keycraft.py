"""Builds the Reflex app, mounts the API routes and registers every page."""

import reflex as rx

from keycraft.api import build_api
from keycraft.api.observability import setup_logging
from keycraft.api.startup_memory import freeze_startup_objects
from keycraft.components.seo import social_image_url, social_meta
from keycraft.config import get_settings
from keycraft.pages import ON_LOAD, PAGES
from keycraft.state.session_guard import SessionGuard

app = rx.App(
    api_transformer=build_api(),
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml")],
    stylesheets=["/a11y.css"],
)
app.register_lifespan_task(setup_logging)
app.register_lifespan_task(freeze_startup_objects)
app.add_middleware(SessionGuard())

settings = get_settings()
for route, page in PAGES.items():
    app.add_page(
        page,
        route=route.path,
        title=route.title,
        description=route.description,
        on_load=ON_LOAD.get(route),
        image=social_image_url(settings.app_url),
        meta=social_meta(route, settings.app_url),
    )
