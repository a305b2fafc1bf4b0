"""How many bytes a page transferred on its first load, as the browser measured it."""

from __future__ import annotations

from playwright.sync_api import Page

MAX_FIRST_LOAD_BYTES = 1_000_000
"""The marketing budget: no page over ~1 MB transferred on first load."""

_TRANSFERRED = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return nav.transferSize + performance.getEntriesByType('resource')
    .reduce((sum, r) => sum + r.transferSize, 0);
}"""


def transferred_bytes(page: Page) -> int:
    """Bytes transferred (compressed, headers included) by the document and its resources."""
    return int(page.evaluate(_TRANSFERRED))
