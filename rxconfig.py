"""Reflex settings only."""

import reflex as rx

from keycraft.config import get_settings

config = rx.Config(
    app_name="keycraft",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Reflex's default ("*" with credentials) would let any site read the session bridge.
    cors_allowed_origins=list(get_settings().browser_origins),
    plugins=[
        rx.plugins.TailwindV4Plugin(),
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", radius="large"),
        ),
    ],
    # Reflex's sitemap would name the build machine's URL; keycraft/api/seo.py serves
    # /sitemap.xml and /robots.txt from the route registry and APP_URL instead.
    disable_plugins=[rx.plugins.SitemapPlugin],
)
