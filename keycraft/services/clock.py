"""Time helpers: one place that says what 'now' is and how monthly windows roll."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime


def utc_now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def add_months(moment: datetime, months: int, anchor_day: int | None = None) -> datetime:
    """Return ``moment`` moved by whole months, clamping the day to the month's length.

    Args:
        moment: The starting time (aware).
        months: How many months to move forward (may be negative).
        anchor_day: Day of month to aim for; defaults to ``moment.day``. Passing the
            original anchor keeps a 31st-of-month window from drifting to the 28th forever.
    """
    day = anchor_day or moment.day
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return moment.replace(year=year, month=month, day=min(day, last))


def next_monthly_reset(anchor: datetime, now: datetime) -> datetime:
    """Return the first monthly anniversary of ``anchor`` that lies strictly after ``now``."""
    months = max(1, (now.year - anchor.year) * 12 + (now.month - anchor.month))
    candidate = add_months(anchor, months, anchor.day)
    while candidate <= now:
        months += 1
        candidate = add_months(anchor, months, anchor.day)
    # Step back while the previous anniversary is still in the future (anchor late in month).
    while months > 1 and add_months(anchor, months - 1, anchor.day) > now:
        months -= 1
        candidate = add_months(anchor, months, anchor.day)
    return candidate
