"""Origin checks, safe redirects, client addresses and cookie attributes."""

import pytest

from keycraft.config import Settings
from keycraft.services.auth.web import (
    client_ip,
    cookie_domains_to_expire,
    cookie_policy,
    origin_allowed,
    origin_of,
    safe_next,
    trusted_origins,
)

TRUSTED = frozenset({"https://app.keycraft.org", "https://keycraft.org"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/account", "/account"),
        ("/editor?project=1#bar", "/editor?project=1#bar"),
        ("", "/"),
        (None, "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("https://evil.example/x", "/"),
        ("javascript:alert(1)", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
        ("https://keycraft.org/pricing", "https://keycraft.org/pricing"),
        ("https://keycraft.org.evil.example/", "/"),
        ("account", "/"),
    ],
)
def test_safe_next_keeps_only_same_site_destinations(value: str | None, expected: str) -> None:
    assert safe_next(value, TRUSTED) == expected


@pytest.mark.parametrize("value", ["", None, "//evil.example", "https://evil.example/x", "account"])
def test_safe_next_falls_back_to_the_callers_default(value: str | None) -> None:
    assert safe_next(value, TRUSTED, default="/projects") == "/projects"
    assert safe_next(value, TRUSTED, default="") == ""


def test_a_safe_next_wins_over_the_default() -> None:
    assert safe_next("/editor/p1", TRUSTED, default="/projects") == "/editor/p1"


@pytest.mark.parametrize(
    ("origin", "referer", "allowed"),
    [
        ("https://app.keycraft.org", None, True),
        ("https://APP.keycraft.org/", None, True),
        ("https://evil.example", "https://app.keycraft.org/x", False),
        ("null", None, False),
        (None, "https://keycraft.org/pricing", True),
        (None, "https://evil.example/", False),
        (None, None, False),
    ],
)
def test_origin_check(origin: str | None, referer: str | None, allowed: bool) -> None:
    assert origin_allowed(origin, referer, TRUSTED) is allowed


def test_trusted_origins_are_app_request_host_and_siblings() -> None:
    settings = Settings(
        APP_URL="https://app.keycraft.org/", CORS_ALLOWED_ORIGINS=" https://keycraft.org/ ,"
    )
    assert trusted_origins(settings, "http://127.0.0.1:3000") == {
        "https://app.keycraft.org",
        "https://keycraft.org",
        "http://127.0.0.1:3000",
    }
    assert origin_of("ftp://x") == ""


def test_client_ip_trusts_only_our_own_proxy_hops() -> None:
    assert client_ip("10.0.0.1", "1.2.3.4", 0) == "10.0.0.1"
    assert client_ip("10.0.0.1", "6.6.6.6, 1.2.3.4", 1) == "1.2.3.4"
    assert client_ip("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.9", 2) == "1.2.3.4"
    assert client_ip("10.0.0.1", "", 1) == "10.0.0.1"


def test_client_ip_with_fewer_hops_than_our_proxies_uses_the_peer() -> None:
    # Two proxies are configured but only one hop arrived: it may be client-written.
    assert client_ip("10.0.0.1", "6.6.6.6", 2) == "10.0.0.1"
    assert client_ip("10.0.0.1", "6.6.6.6, 7.7.7.7", 3) == "10.0.0.1"


def test_cookie_is_secure_off_localhost_with_the_configured_domain() -> None:
    local = cookie_policy(Settings(APP_URL="http://localhost:3000"))
    assert (local.secure, local.domain) == (False, "")
    prod = cookie_policy(
        Settings(APP_URL="https://app.keycraft.org", SESSION_COOKIE_DOMAIN=".keycraft.org")
    )
    assert (prod.secure, prod.domain) == (True, ".keycraft.org")
    assert cookie_policy(Settings(APP_URL="http://staging.keycraft.org")).secure is True


@pytest.mark.parametrize(
    ("configured", "host", "domains"),
    [
        ("", "127.0.0.1:3000", [None]),
        ("", "localhost:3000", [None]),
        (".keycraft.org", "localhost", [None, ".keycraft.org"]),
        ("", "app.keycraft.org", [None, "app.keycraft.org", "keycraft.org"]),
        (".keycraft.org", "app.keycraft.org:443", [None, ".keycraft.org", "app.keycraft.org"]),
        ("", "[::1]:3000", [None]),
    ],
)
def test_sign_out_expires_every_domain_the_cookie_may_have(
    configured: str, host: str, domains: list[str | None]
) -> None:
    assert cookie_domains_to_expire(configured, host) == domains
