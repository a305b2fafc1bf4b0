"""robots.txt and sitemap.xml are built from the route registry at the public URL."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

from keycraft.api.seo import robots_text, sitemap_xml
from keycraft.components.seo import social_image_url, social_meta
from keycraft.routes import NOT_FOUND, PRICING

BASE = "https://keycraft.example"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_lists_public_pages_only_with_absolute_urls() -> None:
    root = fromstring(sitemap_xml(BASE + "/"))
    locations = [loc.text for loc in root.iter(f"{NS}loc")]
    assert locations == [f"{BASE}/", f"{BASE}/pricing", f"{BASE}/privacy", f"{BASE}/terms"]


def test_robots_points_at_the_sitemap_and_keeps_crawlers_out_of_admin_and_api() -> None:
    lines = robots_text(BASE).splitlines()
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /api/" in lines


def test_social_meta_names_the_page_at_its_public_url() -> None:
    tags = {t.get("property") or t.get("name"): t["content"] for t in social_meta(PRICING, BASE)}
    assert tags["og:url"] == f"{BASE}/pricing"
    assert tags["og:title"] == PRICING.title
    assert tags["twitter:description"] == PRICING.description
    assert {
        t["content"] for t in social_meta(NOT_FOUND, BASE) if t.get("property") == "og:url"
    } == {f"{BASE}/"}
    assert social_image_url(BASE + "/") == f"{BASE}/og-image.png"
