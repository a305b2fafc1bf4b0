"""Every route in the registry has a page, and paths are unique."""

from keycraft.pages import PAGES
from keycraft.routes import ALL_PAGES


def test_every_route_has_exactly_one_page() -> None:
    assert set(PAGES) == set(ALL_PAGES)
    assert len({route.path for route in ALL_PAGES}) == len(ALL_PAGES)
