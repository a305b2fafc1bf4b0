"""Open Graph and Twitter card tags for a page, from its route's title and description."""

from __future__ import annotations

from keycraft.routes import OG_IMAGE, PRODUCT_NAME, PageRoute


def social_image_url(app_url: str) -> str:
    """Absolute URL of the shared-link picture (Reflex emits it as ``og:image``)."""
    return f"{app_url.rstrip('/')}{OG_IMAGE}"


def social_meta(route: PageRoute, app_url: str) -> list[dict[str, str]]:
    """Meta tags that make a shared link show the page's title and summary."""
    base = app_url.rstrip("/")
    path = route.path if route.path.startswith("/") else "/"
    return [
        {"property": "og:type", "content": "website"},
        {"property": "og:site_name", "content": PRODUCT_NAME},
        {"property": "og:title", "content": route.title},
        {"property": "og:description", "content": route.description},
        {"property": "og:url", "content": f"{base}{path}"},
        {"name": "twitter:card", "content": "summary_large_image"},
        {"name": "twitter:title", "content": route.title},
        {"name": "twitter:description", "content": route.description},
    ]
