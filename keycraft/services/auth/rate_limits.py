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
