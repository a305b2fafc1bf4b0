"""The playback loop region: bounds in ticks, snapped to beats, read as bars and beats."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from keycraft.services.domain import TICKS_PER_QUARTER, TimeSignatureChange
from keycraft.services.notes.timing import bar_position, bar_start_tick, beat_ticks

MAX_BAR_NUMBER = 100_000
"""Bar numbers past this are refused as typing mistakes."""
_BAR_BEAT = re.compile(r"(-?\d{1,6})(?:\s*:\s*(\d{1,3}))?")


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


def snap_to_beat(tick: int, signature_map: Sequence[TimeSignatureChange]) -> int:
    """Return the beat nearest ``tick`` (ties go later) under a time-signature map.

    A bar cut short by a signature change ends on the change, which is a beat too.
    """
    tick = max(0, int(tick))
    position = bar_position(tick, signature_map)
    beat_start = tick - position.ticks_into_beat
    if position.ticks_into_beat == 0:
        return tick
    # The next beat, or the change that cuts this beat short.
    # (No beat is longer than a whole note, so the next one starts within one.)
    next_beat = beat_ticks(signature_map, beat_start + 1, beat_start + 4 * TICKS_PER_QUARTER + 1)[0]
    return beat_start if tick - beat_start < next_beat - tick else next_beat


def bar_beat_label(
    tick: int, signature_map: Sequence[TimeSignatureChange], first_bar_tick: int = 0
) -> str:
    """Return where ``tick`` is as a whole bar ("5") or bar and beat ("5:3").

    Beats count from 1; bars from 1 at ``first_bar_tick`` (the bars before it are 0, -1...).
    A tick between beats is shown at the nearest beat: never a fraction of a bar.
    """
    position = bar_position(snap_to_beat(tick, signature_map), signature_map, first_bar_tick)
    if position.beat_number == 1:
        return str(position.bar_number)
    return f"{position.bar_number}:{position.beat_number}"


def tick_at_bar(
    text: str, signature_map: Sequence[TimeSignatureChange], first_bar_tick: int = 0
) -> int | None:
    """Return the tick of a typed "bar" or "bar:beat" ("3", "3:2", "0"), or None if it is not one.

    Bars are numbered as ``bar_beat_label`` shows them; beats count from 1 and must fall
    inside the bar (a bar cut short has fewer).
    """
    match = _BAR_BEAT.fullmatch(text.strip())
    if match is None:
        return None
    bar, beat = int(match[1]), int(match[2] or 1)
    if bar > MAX_BAR_NUMBER or beat < 1:
        return None
    try:
        start = bar_start_tick(bar, signature_map, first_bar_tick)
    except ValueError:
        return None  # before the first bar
    end = bar_start_tick(bar + 1, signature_map, first_bar_tick)
    beats = beat_ticks(signature_map, start, end)
    return beats[beat - 1] if beat <= len(beats) else None
