"""The playback loop region: bounds in ticks and their bar numbers for the bar inputs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from keycraft.services.domain import TimeSignatureChange
from keycraft.services.notes.timing import bar_position, bar_start_tick

MAX_BAR_NUMBER = 100_000
"""Bar numbers past this are refused as typing mistakes."""


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


def _bar_span(bar: int, signature_map: Sequence[TimeSignatureChange]) -> tuple[int, int]:
    start = bar_start_tick(bar, signature_map)
    return start, bar_start_tick(bar + 1, signature_map) - start


def bar_number(tick: int, signature_map: Sequence[TimeSignatureChange]) -> str:
    """Return the bar (from 1) where ``tick`` falls, with a fraction mid-bar ("2", "2.5")."""
    bar = bar_position(max(0, tick), signature_map).bar_number
    start, length = _bar_span(bar, signature_map)
    return f"{round(bar + (tick - start) / length, 2):g}"


def tick_at_bar(text: str, signature_map: Sequence[TimeSignatureChange]) -> int | None:
    """Return the tick of a typed bar number ("3", "2.5"), or None when it is not one."""
    try:
        value = float(text)
    except ValueError:
        return None
    if math.isnan(value) or value < 1 or value > MAX_BAR_NUMBER:
        return None
    bar = math.floor(value)
    start, length = _bar_span(bar, signature_map)
    return start + round((value - bar) * length)
