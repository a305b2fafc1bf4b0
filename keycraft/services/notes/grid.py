"""Snap grids (straight and triplet) and quantizing notes onto them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from keycraft.services.domain import TICKS_PER_QUARTER, Note


@dataclass(frozen=True, slots=True)
class SnapGrid:
    """A grid the editor snaps to; ``step_ticks`` 0 means no snapping."""

    key: str
    label: str
    step_ticks: int


SNAP_OFF = SnapGrid("off", "Off", 0)
SNAP_GRIDS: tuple[SnapGrid, ...] = (
    SnapGrid("1/4", "1/4", TICKS_PER_QUARTER),
    SnapGrid("1/8", "1/8", TICKS_PER_QUARTER // 2),
    SnapGrid("1/16", "1/16", TICKS_PER_QUARTER // 4),
    SnapGrid("1/32", "1/32", TICKS_PER_QUARTER // 8),
    SnapGrid("1/4T", "1/4 triplet", TICKS_PER_QUARTER * 2 // 3),
    SnapGrid("1/8T", "1/8 triplet", TICKS_PER_QUARTER // 3),
    SnapGrid("1/16T", "1/16 triplet", TICKS_PER_QUARTER // 6),
    SNAP_OFF,
)
DEFAULT_GRID = SNAP_GRIDS[2]


def grid_by_key(key: str) -> SnapGrid:
    """Return the grid named ``key``; unknown keys give the default (1/16)."""
    return next((g for g in SNAP_GRIDS if g.key == key), DEFAULT_GRID)


def snap_tick(tick: int, step_ticks: int) -> int:
    """Return ``tick`` moved to the nearest grid line (ties go later); 0 step leaves it."""
    if step_ticks <= 0:
        return tick
    return max(0, (tick + step_ticks // 2) // step_ticks * step_ticks)


def quantize_note(note: Note, step_ticks: int) -> Note:
    """Snap a note's start and end to the grid, keeping at least one grid step of length."""
    if step_ticks <= 0:
        return note
    start = snap_tick(note.start_tick, step_ticks)
    end = snap_tick(note.start_tick + note.duration_ticks, step_ticks)
    return Note(
        start_tick=start,
        duration_ticks=max(step_ticks, end - start),
        pitch_midi=note.pitch_midi,
        velocity=note.velocity,
    )


def quantize_notes(notes: Iterable[Note], step_ticks: int) -> list[Note]:
    """Quantize every note onto a grid of ``step_ticks``."""
    return [quantize_note(n, step_ticks) for n in notes]
