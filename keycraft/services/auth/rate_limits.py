"""Fixed-window attempt counters kept in the repository, so every worker shares them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from keycraft.services.auth.types import RateLimited
from keycraft.services.repository.port import Repository


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``max_attempts`` per ``window_s`` seconds for one subject (an IP, an email)."""

    name: str
    max_attempts: int
    window_s: int


def window_start(now: datetime, window_s: int) -> datetime:
    """Start of the fixed window that contains ``now``."""
    epoch_s = int(now.timestamp())
    return datetime.fromtimestamp(epoch_s - epoch_s % window_s, UTC)


def hit(repo: Repository, limit: RateLimit, subject: str, now: datetime) -> None:
    """Count one attempt by ``subject``; raise ``RateLimited`` once the window is full.

    The subject is hashed so stored keys never hold raw emails or IP addresses.
    """
    start = window_start(now, limit.window_s)
    end = start + timedelta(seconds=limit.window_s)
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    count = repo.increment_rate_counter(f"{limit.name}:{digest}", start, end)
    if count > limit.max_attempts:
        raise RateLimited(max(1, int((end - now).total_seconds())))


AUTH_WINDOW_S = 15 * 60


@dataclass(frozen=True, slots=True)
class AuthLimits:
    """The limits on sign-in, sign-up and email-link requests."""

    sign_in_ip: RateLimit
    sign_in_account: RateLimit
    sign_up_ip: RateLimit
    email_link_ip: RateLimit
    email_link_account: RateLimit


def auth_limits(per_ip: int, per_account: int) -> AuthLimits:
    """Limits per 15-minute window: ``per_ip`` per client address, ``per_account`` per email."""
    return AuthLimits(
        sign_in_ip=RateLimit("sign-in-ip", per_ip, AUTH_WINDOW_S),
        sign_in_account=RateLimit("sign-in-account", per_account, AUTH_WINDOW_S),
        sign_up_ip=RateLimit("sign-up-ip", per_ip, AUTH_WINDOW_S),
        email_link_ip=RateLimit("email-link-ip", per_ip, AUTH_WINDOW_S),
        email_link_account=RateLimit("email-link-account", per_account, AUTH_WINDOW_S),
    )
