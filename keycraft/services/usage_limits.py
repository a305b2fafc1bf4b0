"""Per-user allowances for expensive work (uploads, transcriptions), shared by every worker."""

from __future__ import annotations

from datetime import datetime

from keycraft.services.auth import rate_limits
from keycraft.services.auth.rate_limits import RateLimit
from keycraft.services.repository.port import Repository

UPLOADS_PER_USER = RateLimit("uploads-user", 60, 10 * 60)
"""Recordings and MIDI files one user may send in ten minutes."""

TRANSCRIPTIONS_PER_USER = RateLimit("transcriptions-user", 30, 60 * 60)
"""Transcriptions (and re-transcriptions) one user may start in an hour."""


def charge(repo: Repository, limit: RateLimit, user_id: str, now: datetime) -> None:
    """Count one use of ``limit`` by ``user_id``; raise ``RateLimited`` once it is used up."""
    rate_limits.hit(repo, limit, f"user:{user_id}", now)


def minutes_to_wait(retry_after_s: int) -> int:
    """Whole minutes, at least one, for a message that asks the user to wait."""
    return max(1, (retry_after_s + 59) // 60)
