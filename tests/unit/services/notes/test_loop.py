"""The loop region and its bar numbers."""

from keycraft.services.notes.loop import LoopRegion, bar_number, loop_region, tick_at_bar


def test_a_region_takes_its_bounds_in_either_order() -> None:
    assert loop_region(5760, 1920) == LoopRegion(1920, 5760)


def test_a_region_is_never_empty_nor_before_zero() -> None:
    assert loop_region(960, 960, min_length_ticks=1920) == LoopRegion(960, 2880)
    assert loop_region(-50, 100) == LoopRegion(0, 100)


def test_bar_numbers_count_from_one_with_a_fraction_mid_bar() -> None:
    assert bar_number(0, 1920) == "1"
    assert bar_number(1920, 1920) == "2"
    assert bar_number(8640, 1920) == "5.5"
    assert bar_number(480, 1440) == "1.33"


def test_typed_bar_numbers_become_ticks() -> None:
    assert tick_at_bar("3", 1920) == 3840
    assert tick_at_bar("2.5", 1920) == 2880


def test_text_that_is_not_a_bar_number_is_refused() -> None:
    assert tick_at_bar("", 1920) is None
    assert tick_at_bar("abc", 1920) is None
    assert tick_at_bar("0", 1920) is None
    assert tick_at_bar("nan", 1920) is None
