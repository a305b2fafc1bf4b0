"""The playback loop region: bounds in ticks and their bar numbers for the bar inputs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LoopRegion:
    """Where playback loops: ``[start_tick, end_tick)``, never empty."""

    start_tick: int
    end_tick: int


def loop_region(start_tick: int, end_tick: int, min_length_ticks: int = 1) -> LoopRegion:
    """Return a valid region from two bounds in either order.

    The start is kept at or after tick 0 and the region is at least ``min_length_ticks``
    long (a click without a drag gives a loop of that length).
    """
    start, end = sorted((max(0, int(start_tick)), max(0, int(end_tick))))
    return LoopRegion(start, max(end, start + max(1, min_length_ticks)))


def bar_number(tick: int, bar_ticks: int) -> str:
    """Return the 1-based bar where ``tick`` falls, with a fraction mid-bar ("2", "2.5")."""
    value = round(1 + tick / bar_ticks, 2)
    return f"{value:g}"


def tick_at_bar(text: str, bar_ticks: int) -> int | None:
    """Return the tick of a typed bar number ("3", "2.5"), or None when it is not one."""
    try:
        bar = float(text)
    except ValueError:
        return None
    if bar != bar or bar < 1 or bar > 100_000:  # NaN, before the first bar, absurd
        return None
    return round((bar - 1) * bar_ticks)
