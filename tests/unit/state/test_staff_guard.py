"""The origin check every staff event handler runs before touching anything."""

from __future__ import annotations

from keycraft.config import Settings
from keycraft.state.staff_guard import connection_trusted

SETTINGS = Settings(APP_URL="https://keycraft.example")


def test_connections_from_our_own_pages_are_trusted() -> None:
    assert connection_trusted("https://keycraft.example", "internal:8000", SETTINGS)
    assert connection_trusted("http://127.0.0.1:3000", "127.0.0.1:3000", SETTINGS)
    assert connection_trusted("https://KeyCraft.example/", "", SETTINGS)


def test_connections_opened_by_other_sites_or_without_origin_are_refused() -> None:
    assert not connection_trusted("https://evil.example", "keycraft.example", SETTINGS)
    assert not connection_trusted("https://keycraft.example.evil.example", "", SETTINGS)
    assert not connection_trusted("null", "keycraft.example", SETTINGS)
    assert not connection_trusted("", "keycraft.example", SETTINGS)
