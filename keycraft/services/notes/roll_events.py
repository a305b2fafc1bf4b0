"""The piano roll's coarse events as the browser sends them, and their checked reading.

The TypedDicts name each event's JSON shape; the component wrapper declares its event
triggers with them and the editor's handlers take them as arguments. Nothing checks a
payload on its way in, so the readers below accept any dict and fall back to "nothing".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

BURST_UNACKED = 2
"""Unacknowledged earlier events from which an edit is saved by the coalescing saver."""
TOOLS = ("draw", "select")
"""The roll's tools: a drag on empty grid draws a note or rubber-band selects."""


class NoteRow(TypedDict):
    """One note as the component sends and receives it."""

    id: str
    start_tick: int
    duration_ticks: int
    pitch_midi: int
    velocity: int


class CommitEvent(TypedDict):
    """A finished edit (pointer released, key pressed): notes upserted and ids removed."""

    upserts: list[NoteRow]
    removed_ids: list[str]
    unacked: int
    seq: int


class PedalRow(TypedDict):
    """One sustain-pedal span: held down from ``start_tick`` until ``end_tick`` (exclusive)."""

    start_tick: int
    end_tick: int


class PedalEvent(TypedDict):
    """The pedal lane after a finished edit (draw, move, resize, delete).

    ``pedals`` holds every span, in time order and never overlapping; ``unacked`` and
    ``seq`` are as in ``CommandEvent``.
    """

    pedals: list[PedalRow]
    unacked: int
    seq: int


class CommandEvent(TypedDict):
    """A shortcut for the server: undo, redo, copy, cut, paste, duplicate, quantize, help.

    ``tick`` is the playhead, where a paste lands. ``seq`` numbers commits and commands
    alike (growing across page loads) so the server can say which ones are saved;
    ``unacked`` counts earlier ones not acknowledged yet (a burst: the server coalesces).
    """

    name: str
    tick: int
    unacked: int
    seq: int


class ToolEvent(TypedDict):
    """The tool chosen from the keyboard in the roll: ``draw`` or ``select``."""

    tool: str


class LoopEvent(TypedDict):
    """A loop drawn or adjusted on the ruler, snapped to beats: ``[start_tick, end_tick)``."""

    start_tick: int
    end_tick: int


class DownbeatEvent(TypedDict):
    """Bar 1's handle dropped on the ruler: the tick it was let go at (not yet on a beat)."""

    tick: int


class ViewEvent(TypedDict):
    """The zoom once zooming pauses: pixels per quarter note and pixels per key row."""

    px_per_beat: float
    key_height_px: float


class SelectionEvent(TypedDict):
    """The ids selected once a click, rubber band or select-all has finished."""

    ids: list[str]


Numbered = CommitEvent | CommandEvent | PedalEvent
"""The events the browser numbers (``seq``) and waits to see saved."""


@dataclass(frozen=True, slots=True)
class Command:
    """A shortcut read from a ``CommandEvent``: its name and the playhead tick (0 if absent)."""

    name: str
    tick: int


@dataclass(frozen=True, slots=True)
class LoopTicks:
    """A loop read from a ``LoopEvent``, not yet snapped or ordered."""

    start_tick: int
    end_tick: int


@dataclass(frozen=True, slots=True)
class Zoom:
    """A zoom read from a ``ViewEvent``."""

    px_per_beat: float
    key_height_px: float


def _int(event: Mapping[str, Any], key: str) -> int | None:
    value = event.get(key)
    # bool is an int in Python, never in the roll's JSON.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def client_seq(event: Mapping[str, Any]) -> int | None:
    """The browser's number for this commit or command, if it sent one."""
    return _int(event, "seq")


def is_burst(event: Mapping[str, Any]) -> bool:
    """Whether the browser sent this while several earlier events were unacknowledged.

    One is normal (its acknowledgement may still be on the way when the next key is
    pressed); two or more mean edits arrive faster than they are saved.
    """
    unacked = _int(event, "unacked")
    return unacked is not None and unacked >= BURST_UNACKED


def selected_ids(event: Mapping[str, Any]) -> tuple[str, ...]:
    """The note ids of a ``SelectionEvent``; anything that is not an id is left out."""
    ids = event.get("ids") or []
    if not isinstance(ids, list):
        return ()
    return tuple(i for i in ids if isinstance(i, str))


def command(event: Mapping[str, Any]) -> Command:
    """The shortcut of a ``CommandEvent``."""
    return Command(name=str(event.get("name")), tick=_int(event, "tick") or 0)


def tool(event: Mapping[str, Any]) -> str | None:
    """The tool of a ``ToolEvent``, or None when it names none of ``TOOLS``."""
    chosen = event.get("tool")
    return chosen if isinstance(chosen, str) and chosen in TOOLS else None


def loop_ticks(event: Mapping[str, Any]) -> LoopTicks | None:
    """The ticks of a ``LoopEvent``, or None when either is missing."""
    start, end = _int(event, "start_tick"), _int(event, "end_tick")
    if start is None or end is None:
        return None
    return LoopTicks(start, end)


def dropped_tick(event: Mapping[str, Any]) -> int | None:
    """The tick of a ``DownbeatEvent``, or None when it is missing or before the start."""
    tick = _int(event, "tick")
    return tick if tick is not None and tick >= 0 else None


def zoom(event: Mapping[str, Any]) -> Zoom | None:
    """The zoom of a ``ViewEvent``, or None when either number is missing."""
    px_per_beat, key_height_px = event.get("px_per_beat"), event.get("key_height_px")
    if not isinstance(px_per_beat, int | float) or not isinstance(key_height_px, int | float):
        return None
    return Zoom(float(px_per_beat), float(key_height_px))
