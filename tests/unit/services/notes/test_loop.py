"""The loop region and its bar numbers, under one metre and under metre changes."""

from keycraft.services.domain import TimeSignatureChange
from keycraft.services.notes.loop import LoopRegion, bar_number, loop_region, tick_at_bar

FOUR_FOUR = (TimeSignatureChange(0, 4, 4),)
THREE_FOUR = (TimeSignatureChange(0, 3, 4),)
# Two bars of 4/4, then 3/4 from tick 3840 (bar 3).
CHANGING = (TimeSignatureChange(0, 4, 4), TimeSignatureChange(3840, 3, 4))


def test_a_region_takes_its_bounds_in_either_order() -> None:
    assert loop_region(5760, 1920) == LoopRegion(1920, 5760)


def test_a_region_is_never_empty_nor_before_zero() -> None:
    assert loop_region(960, 960, min_length_ticks=1920) == LoopRegion(960, 2880)
    assert loop_region(-50, 100) == LoopRegion(0, 100)


def test_bar_numbers_count_from_one_with_a_fraction_mid_bar() -> None:
    assert bar_number(0, FOUR_FOUR) == "1"
    assert bar_number(1920, FOUR_FOUR) == "2"
    assert bar_number(8640, FOUR_FOUR) == "5.5"
    assert bar_number(480, THREE_FOUR) == "1.33"


def test_bar_numbers_follow_metre_changes() -> None:
    assert bar_number(3840, CHANGING) == "3"
    assert bar_number(3840 + 1440, CHANGING) == "4"
    assert tick_at_bar("4", CHANGING) == 3840 + 1440
    assert tick_at_bar("3.5", CHANGING) == 3840 + 720


def test_typed_bar_numbers_become_ticks() -> None:
    assert tick_at_bar("3", FOUR_FOUR) == 3840
    assert tick_at_bar("2.5", FOUR_FOUR) == 2880


def test_text_that_is_not_a_bar_number_is_refused() -> None:
    assert tick_at_bar("", FOUR_FOUR) is None
    assert tick_at_bar("abc", FOUR_FOUR) is None
    assert tick_at_bar("0", FOUR_FOUR) is None
    assert tick_at_bar("nan", FOUR_FOUR) is None
