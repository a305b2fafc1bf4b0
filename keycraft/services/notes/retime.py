"""Re-placing notes and pedal under a new tempo map so they keep their real times."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from keycraft.services.domain import Note, PedalSpan, TempoChange
from keycraft.services.notes.pedal import merge_spans
from keycraft.services.notes.timing import seconds_to_tick, tick_to_seconds


def retime_tick(tick: int, old_map: Sequence[TempoChange], new_map: Sequence[TempoChange]) -> int:
    """The whole tick under ``new_map`` heard at the same second as ``tick`` under ``old_map``."""
    return max(0, round(seconds_to_tick(tick_to_seconds(tick, old_map), new_map)))


def retime_note(note: Note, old_map: Sequence[TempoChange], new_map: Sequence[TempoChange]) -> Note:
    """``note`` starting and ending at the same seconds under ``new_map`` (within a tick)."""
    start = retime_tick(note.start_tick, old_map, new_map)
    end = retime_tick(note.start_tick + note.duration_ticks, old_map, new_map)
    return Note(start, max(1, end - start), note.pitch_midi, note.velocity)


def retime_notes(
    notes: Iterable[Note], old_map: Sequence[TempoChange], new_map: Sequence[TempoChange]
) -> tuple[Note, ...]:
    """Every note re-placed by :func:`retime_note`, in their order."""
    return tuple(retime_note(n, old_map, new_map) for n in notes)


def retime_pedals(
    pedals: Iterable[PedalSpan], old_map: Sequence[TempoChange], new_map: Sequence[TempoChange]
) -> tuple[PedalSpan, ...]:
    """Pedal spans re-placed at the same seconds; overlapping ones join, empty ones drop."""
    placed = [
        PedalSpan(
            retime_tick(p.start_tick, old_map, new_map), retime_tick(p.end_tick, old_map, new_map)
        )
        for p in pedals
    ]
    return merge_spans(placed)
