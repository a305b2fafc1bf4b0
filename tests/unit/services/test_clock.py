"""Monthly windows roll on the anchor's anniversary, clamped to short months."""

from datetime import UTC, datetime

import pytest

from keycraft.services.clock import add_months, next_monthly_reset


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (at(2026, 1, 31), 1, at(2026, 2, 28)),
        (at(2028, 1, 31), 1, at(2028, 2, 29)),
        (at(2026, 11, 15), 3, at(2027, 2, 15)),
        (at(2026, 3, 31), -1, at(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_length(
    start: datetime, months: int, expected: datetime
) -> None:
    assert add_months(start, months) == expected


def test_anchor_day_survives_a_short_month() -> None:
    assert add_months(at(2026, 2, 28), 1, anchor_day=31) == at(2026, 3, 31)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 1, 31, 12), at(2026, 2, 28, 12)),
        (at(2026, 2, 28, 11), at(2026, 2, 28, 12)),
        (at(2026, 2, 28, 12), at(2026, 3, 31, 12)),
        (at(2026, 5, 2), at(2026, 5, 31, 12)),
        (at(2027, 1, 31, 13), at(2027, 2, 28, 12)),
    ],
)
def test_next_reset_is_the_first_anniversary_after_now(now: datetime, expected: datetime) -> None:
    assert next_monthly_reset(at(2026, 1, 31, 12), now) == expected


def test_next_reset_is_always_in_the_future() -> None:
    anchor = at(2025, 8, 30, 6)
    for day in range(0, 800, 7):
        now = datetime.fromtimestamp(anchor.timestamp() + day * 86400 + 3600, UTC)
        reset = next_monthly_reset(anchor, now)
        assert reset > now
        assert (reset - now).days <= 31
