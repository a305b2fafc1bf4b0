"""Monthly transcription minutes: the window a job reserves in, and what is left of it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from keycraft.services.billing.plans import PlanCatalog
from keycraft.services.clock import next_monthly_reset
from keycraft.services.repository.port import Repository

MIN_RESERVED_S = 1
"""A recording the app cannot measure still reserves a second; the transcriber, which decodes
with the same libraries, refuses it and the second comes back."""


@dataclass(frozen=True, slots=True)
class MinutesStatus:
    """Seconds reserved and allowed in the user's current monthly window."""

    used_s: int
    allowance_s: int
    window_end: datetime

    @property
    def left_s(self) -> int:
        """Seconds of recordings that can still be transcribed this window."""
        return max(0, self.allowance_s - self.used_s)

    @property
    def allowance_minutes(self) -> int:
        """The plan's minutes a month."""
        return self.allowance_s // 60


def minutes_text(seconds: int, *, round_up: bool = False) -> str:
    """Seconds as minutes for people: "12", "29.5" (tenths, "0.1" at least when not zero).

    Rounded down unless ``round_up``, so a meter never shows an allowance as spent while a
    few seconds are left, and a recording's need is never shown smaller than it is.
    """
    tenths = math.ceil(seconds / 6) if round_up else seconds // 6
    if seconds > 0 and tenths == 0:
        tenths = 1
    whole, tenth = divmod(tenths, 10)
    return f"{whole}" if tenth == 0 else f"{whole}.{tenth}"


def window_end(repo: Repository, user_id: str, now: datetime) -> datetime:
    """End of the user's monthly window at ``now``: the same window as the download quota.

    Both roll over on the monthly anniversary of the quota's anchor (the day the user joined).

    Raises:
        NotFound: no such user.
    """
    quota = repo.get_quota(user_id)
    if quota.reset_date > now:
        return quota.reset_date
    return next_monthly_reset(quota.anchor_at, now)


def reserved_seconds(duration_s: float | None) -> int:
    """Whole seconds a recording of ``duration_s`` takes from the allowance (rounded up)."""
    if duration_s is None or duration_s <= 0:
        return MIN_RESERVED_S
    return max(MIN_RESERVED_S, math.ceil(duration_s - 1e-6))


def minutes_status(
    repo: Repository, plans: PlanCatalog, user_id: str, now: datetime
) -> MinutesStatus | None:
    """The user's transcription minutes at ``now`` (None for an unknown user)."""
    user = repo.get_user(user_id)
    if user is None:
        return None
    end = window_end(repo, user_id, now)
    return MinutesStatus(
        used_s=repo.transcription_seconds_used(user_id, end),
        allowance_s=plans.transcription_seconds(user),
        window_end=end,
    )
