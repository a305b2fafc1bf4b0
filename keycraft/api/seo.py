"""``/robots.txt`` and ``/sitemap.xml``, built from the route registry and ``APP_URL``."""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, tostring

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from keycraft.config import get_settings
from keycraft.routes import PUBLIC_PAGES, SITEMAP_XML, STAFF_PAGES_PREFIX

_CACHE = {"Cache-Control": "public, max-age=3600"}


def robots_text(app_url: str) -> str:
    """Allow crawling of public pages, keep staff and API paths out, point at the sitemap."""
    base = app_url.rstrip("/")
    return (
        "User-agent: *\n"
        "Allow: /\n"
        f"Disallow: {STAFF_PAGES_PREFIX}\n"
        "Disallow: /api/\n"
        f"Sitemap: {base}{SITEMAP_XML}\n"
    )


def sitemap_xml(app_url: str) -> str:
    """A sitemap listing every public page at its absolute URL."""
    base = app_url.rstrip("/")
    urlset = Element("urlset", xmlns="http://www.sitemaps.org/schemas/sitemap/0.9")
    for page in PUBLIC_PAGES:
        url = SubElement(urlset, "url")
        SubElement(url, "loc").text = f"{base}{page.path}"
    return tostring(urlset, encoding="unicode", xml_declaration=True)


async def robots(_request: Request) -> Response:
    """Serve robots.txt."""
    return PlainTextResponse(robots_text(get_settings().app_url), headers=_CACHE)


async def sitemap(_request: Request) -> Response:
    """Serve sitemap.xml."""
    return Response(
        sitemap_xml(get_settings().app_url), media_type="application/xml", headers=_CACHE
    )
