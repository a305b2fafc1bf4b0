"""HTTP safety rules as pure functions: trusted origins, safe redirects, cookie attributes."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from keycraft.config import Settings

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
DEFAULT_NEXT = "/"


def origin_of(url: str) -> str:
    """Return ``scheme://host[:port]`` of an absolute URL, or '' if it has none."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def trusted_origins(settings: Settings, request_origin: str = "") -> frozenset[str]:
    """The app's own origin, the serving host's origin and the configured sibling origins."""
    own = {origin_of(settings.app_url), request_origin.lower()}
    return frozenset(o for o in (*own, *settings.sibling_origins) if o)


def origin_allowed(origin: str | None, referer: str | None, trusted: frozenset[str]) -> bool:
    """Whether a state-changing request comes from a trusted page (the CSRF check).

    Browsers send ``Origin`` on every cross-origin and form POST; ``Referer`` is the fallback.
    A request with neither is refused: a legitimate browser form always has one.
    """
    if origin and origin != "null":
        return origin.lower().rstrip("/") in trusted
    if referer:
        return origin_of(referer) in trusted
    return False


def safe_next(
    value: str | None, trusted: frozenset[str] = frozenset(), default: str = DEFAULT_NEXT
) -> str:
    r"""Return ``value`` if it is a same-site destination, else ``default``.

    Paths must start with one ``/`` (``//host`` and ``/\host`` are other sites to a browser);
    absolute URLs are allowed only on a trusted origin (e.g. the marketing site).
    """
    if not value or len(value) > 2000 or any(ord(c) < 32 or c == "\\" for c in value):
        return default
    if value.startswith("/") and not value.startswith("//"):
        return value
    origin = origin_of(value)
    return value if origin and origin in trusted else default


@dataclass(frozen=True, slots=True)
class CookiePolicy:
    """Attributes of the session cookie."""

    domain: str
    """'' means host-only."""
    secure: bool


def cookie_policy(settings: Settings) -> CookiePolicy:
    """Secure everywhere except plain-HTTP localhost; Domain from ``SESSION_COOKIE_DOMAIN``."""
    parts = urlsplit(settings.app_url)
    secure = parts.scheme == "https" or (parts.hostname or "") not in LOCAL_HOSTS
    return CookiePolicy(domain=settings.session_cookie_domain.strip(), secure=secure)


def client_ip(peer: str, forwarded_for: str, trusted_proxy_count: int) -> str:
    """The client's address: the peer, or the entry our own proxies appended to X-Forwarded-For.

    Only the last ``trusted_proxy_count`` hops are ours; anything left of them is client-written.
    With fewer hops than that, the request skipped some of our proxies and every entry may be
    the client's own writing, so the peer's address is used.
    """
    if trusted_proxy_count <= 0 or not forwarded_for:
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    if len(hops) < trusted_proxy_count:
        return peer
    return hops[-trusted_proxy_count]


def cookie_domains_to_expire(configured_domain: str, host: str) -> list[str | None]:
    """Every ``Domain`` a session cookie for ``host`` may have been set with (None: host-only).

    Sign-out expires all of them: the configured domain, and each parent domain of the host,
    so a cookie set under an earlier ``SESSION_COOKIE_DOMAIN`` cannot outlive sign-out.
    """
    try:
        name = (urlsplit(f"//{host}").hostname or "").lower()
    except ValueError:
        name = ""
    candidates = [configured_domain.lower()]
    if name and name not in LOCAL_HOSTS and not _is_ip(name):
        labels = name.split(".")
        candidates += [".".join(labels[i:]) for i in range(len(labels) - 1)]
    domains: list[str | None] = [None]
    seen: set[str] = set()
    for domain in candidates:
        key = domain.lstrip(".")
        if key and key not in seen:  # ".example.org" and "example.org" are the same domain
            seen.add(key)
            domains.append(domain)
    return domains


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
