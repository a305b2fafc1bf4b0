"""Snap grids and quantizing, straight and triplet."""

from keycraft.services.domain import Note
from keycraft.services.notes.grid import (
    DEFAULT_GRID,
    SNAP_GRIDS,
    grid_by_key,
    quantize_note,
    quantize_notes,
    snap_tick,
)


def test_grids_cover_quarter_to_thirty_second_triplets_and_off() -> None:
    steps = {g.key: g.step_ticks for g in SNAP_GRIDS}
    assert steps == {
        "1/4": 480,
        "1/8": 240,
        "1/16": 120,
        "1/32": 60,
        "1/4T": 320,
        "1/8T": 160,
        "1/16T": 80,
        "off": 0,
    }
    assert grid_by_key("1/8T").step_ticks == 160
    assert grid_by_key("nonsense") == DEFAULT_GRID


def test_snap_goes_to_the_nearest_line_with_ties_later() -> None:
    assert snap_tick(59, 120) == 0
    assert snap_tick(60, 120) == 120
    assert snap_tick(175, 160) == 160
    assert snap_tick(241, 160) == 320
    assert snap_tick(77, 0) == 77


def test_quantize_snaps_start_and_end_and_keeps_one_step_minimum() -> None:
    note = Note(start_tick=130, duration_ticks=100, pitch_midi=60, velocity=90)
    assert quantize_note(note, 120) == Note(120, 120, 60, 90)
    tiny = Note(start_tick=100, duration_ticks=10, pitch_midi=61, velocity=1)
    assert quantize_note(tiny, 120) == Note(120, 120, 61, 1)
    triplet = Note(start_tick=330, duration_ticks=150, pitch_midi=62, velocity=5)
    assert quantize_note(triplet, 160) == Note(320, 160, 62, 5)
    assert quantize_notes([note], 0) == [note]
