"""The sustain pedal: spans checked for storage, read from and written as MIDI controller 64."""

from __future__ import annotations

from collections.abc import Iterable

import mido

from keycraft.services.domain import PedalSpan
from keycraft.services.errors import DomainError

SUSTAIN_CONTROL = 64
"""MIDI controller number of the sustain (damper) pedal."""
DOWN_FROM = 64
"""Controller values from this up hold the pedal down; lower values release it."""
PEDAL_DOWN_VALUE, PEDAL_UP_VALUE = 127, 0
MAX_PEDAL_SPANS = 10_000
"""More pedal presses than a 30-minute piece re-pedalled every half second: a bound on
what one project stores."""
PEDAL_UP_ORDER, PEDAL_DOWN_ORDER = 0, 2
"""Where pedal events sit among a tick's events when written: a release with the note-offs
(order 0), a press after the note-ons (order 1), as a pianist re-pedals after a new chord."""


class InvalidPedal(DomainError):
    """Pedal spans that are empty, negative, overlapping or too many."""


def check_pedals(spans: Iterable[PedalSpan]) -> tuple[PedalSpan, ...]:
    """The spans in time order if each lasts and none overlaps the next.

    Raises:
        InvalidPedal: a span that starts before 0 or does not end after it starts, two that
            overlap, or more than ``MAX_PEDAL_SPANS``.
    """
    ordered = tuple(sorted(spans, key=lambda p: (p.start_tick, p.end_tick)))
    if len(ordered) > MAX_PEDAL_SPANS:
        raise InvalidPedal(f"{len(ordered)} spans")
    previous_end = 0
    for span in ordered:
        if span.start_tick < previous_end or span.end_tick <= span.start_tick:
            raise InvalidPedal(f"{span.start_tick}-{span.end_tick}")
        previous_end = span.end_tick
    return ordered


def merge_spans(spans: Iterable[PedalSpan]) -> tuple[PedalSpan, ...]:
    """One pedal line from several (channels, tracks): overlapping spans join.

    Spans that only touch stay apart: a release and a press at the same tick is a re-pedal.
    """
    merged: list[PedalSpan] = []
    for span in sorted(spans, key=lambda p: (p.start_tick, p.end_tick)):
        if span.end_tick <= span.start_tick:
            continue
        if merged and span.start_tick < merged[-1].end_tick:
            last = merged[-1]
            merged[-1] = PedalSpan(last.start_tick, max(last.end_tick, span.end_tick))
        else:
            merged.append(span)
    return tuple(merged)


def replace_pedal_range(
    existing: Iterable[PedalSpan], incoming: Iterable[PedalSpan], start_tick: int, end_tick: int
) -> tuple[PedalSpan, ...]:
    """``existing`` with its pedal in ``[start_tick, end_tick)`` swapped for ``incoming``'s.

    A span crossing an edge is cut there: the part outside the range is kept from
    ``existing``, the part inside is taken from ``incoming``. A span that only touches an
    edge stays whole.
    """
    kept: list[PedalSpan] = []
    for span in existing:
        if span.start_tick < start_tick:
            kept.append(PedalSpan(span.start_tick, min(span.end_tick, start_tick)))
        if span.end_tick > end_tick:
            kept.append(PedalSpan(max(span.start_tick, end_tick), span.end_tick))
    inside = [
        PedalSpan(max(span.start_tick, start_tick), min(span.end_tick, end_tick))
        for span in incoming
    ]
    return merge_spans([*kept, *inside])


class PedalReader:
    """Follows controller 64 on each channel of one track and collects the spans."""

    def __init__(self) -> None:
        """Start with every pedal up."""
        self._down_since: dict[int, int] = {}
        self.spans: list[PedalSpan] = []

    def read(self, channel: int, value: int, tick: int) -> None:
        """Take one controller-64 change at ``tick`` (already in our ticks)."""
        down = value >= DOWN_FROM
        if down and channel not in self._down_since:
            self._down_since[channel] = tick
        elif not down and channel in self._down_since:
            self.spans.append(PedalSpan(self._down_since.pop(channel), tick))

    def finish(self, end_tick: int) -> list[PedalSpan]:
        """The spans, a pedal still down at the track's end released there."""
        for start in self._down_since.values():
            self.spans.append(PedalSpan(start, end_tick))
        self._down_since.clear()
        return self.spans


def pedal_events(
    spans: Iterable[PedalSpan], channels: Iterable[int]
) -> list[tuple[int, int, mido.Message]]:
    """``(tick, order, message)`` for each span on each channel the notes use.

    Every channel gets the pedal: a synthesiser applies a controller to its own channel's
    notes only, and the notes of one piano part may be spread over several channels.
    """
    events: list[tuple[int, int, mido.Message]] = []
    for channel in sorted(set(channels)):
        for span in spans:
            down = mido.Message(
                "control_change", channel=channel, control=SUSTAIN_CONTROL, value=PEDAL_DOWN_VALUE
            )
            up = mido.Message(
                "control_change", channel=channel, control=SUSTAIN_CONTROL, value=PEDAL_UP_VALUE
            )
            events.append((span.start_tick, PEDAL_DOWN_ORDER, down))
            events.append((span.end_tick, PEDAL_UP_ORDER, up))
    return events
