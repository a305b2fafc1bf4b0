"""The loop region, its beats and its bars, under one metre and under metre changes."""

from keycraft.services.domain import TimeSignatureChange
from keycraft.services.notes.loop import (
    LoopRegion,
    bar_beat_label,
    loop_region,
    snap_to_beat,
    tick_at_bar,
)

FOUR_FOUR = (TimeSignatureChange(0, 4, 4),)
THREE_FOUR = (TimeSignatureChange(0, 3, 4),)
# Two bars of 4/4, then 3/4 from tick 3840 (bar 3).
CHANGING = (TimeSignatureChange(0, 4, 4), TimeSignatureChange(3840, 3, 4))


def test_a_region_takes_its_bounds_in_either_order() -> None:
    assert loop_region(5760, 1920) == LoopRegion(1920, 5760)


def test_a_region_is_never_empty_nor_before_zero() -> None:
    assert loop_region(960, 960, min_length_ticks=1920) == LoopRegion(960, 2880)
    assert loop_region(-50, 100) == LoopRegion(0, 100)


def test_bounds_read_as_whole_bars_or_bar_and_beat() -> None:
    assert bar_beat_label(0, FOUR_FOUR) == "1"
    assert bar_beat_label(1920, FOUR_FOUR) == "2"
    assert bar_beat_label(8640, FOUR_FOUR) == "5:3"
    assert bar_beat_label(480, THREE_FOUR) == "1:2"
    # Between beats: the nearest beat, never a fraction ("6.33" was 1/3 into bar 6).
    assert bar_beat_label(5 * 1440 + 480 - 100, THREE_FOUR) == "6:2"
    assert bar_beat_label(1920 + 1919, FOUR_FOUR) == "3"


def test_bars_and_beats_follow_metre_changes() -> None:
    assert bar_beat_label(3840, CHANGING) == "3"
    assert bar_beat_label(3840 + 1440, CHANGING) == "4"
    assert bar_beat_label(3840 + 960, CHANGING) == "3:3"
    assert tick_at_bar("4", CHANGING) == 3840 + 1440
    assert tick_at_bar("3:2", CHANGING) == 3840 + 480
    assert tick_at_bar("3:4", CHANGING) is None  # 3/4 has three beats


def test_typed_bars_and_beats_become_ticks() -> None:
    assert tick_at_bar("3", FOUR_FOUR) == 3840
    assert tick_at_bar(" 2 : 3 ", FOUR_FOUR) == 2880
    assert tick_at_bar("2:1", FOUR_FOUR) == 1920


def test_fractions_and_nonsense_are_not_bars() -> None:
    for text in ("", "abc", "0", "nan", "2.5", "1:0", "-1", "3:", "1e3", "100001"):
        assert tick_at_bar(text, FOUR_FOUR) is None, text


def test_ticks_snap_to_the_nearest_beat() -> None:
    assert snap_to_beat(0, FOUR_FOUR) == 0
    assert snap_to_beat(239, FOUR_FOUR) == 0
    assert snap_to_beat(240, FOUR_FOUR) == 480  # ties go later
    assert snap_to_beat(-40, FOUR_FOUR) == 0
    # A 3/4 bar cut short by a change at 1000: its last beat ends on the change.
    cut = (TimeSignatureChange(0, 3, 4), TimeSignatureChange(1000, 4, 4))
    assert snap_to_beat(980, cut) == 1000
    assert snap_to_beat(990, cut) == 1000
    assert snap_to_beat(1240, cut) == 1480
    # Eighth-note beats in 6/8.
    assert snap_to_beat(130, (TimeSignatureChange(0, 6, 8),)) == 240


# A transcription's map: a 2/4 bar of silence and pickup, then 3/4 from its first downbeat.
HEARD = (TimeSignatureChange(0, 2, 4), TimeSignatureChange(960, 3, 4))


def test_bars_count_from_the_first_downbeat_with_the_pickup_as_bar_0() -> None:
    assert bar_beat_label(960, HEARD, first_bar_tick=960) == "1"
    assert bar_beat_label(0, HEARD, first_bar_tick=960) == "0"
    assert bar_beat_label(480, HEARD, first_bar_tick=960) == "0:2"
    assert bar_beat_label(960 + 1440 + 480, HEARD, first_bar_tick=960) == "2:2"
    assert tick_at_bar("1", HEARD, first_bar_tick=960) == 960
    assert tick_at_bar("0:2", HEARD, first_bar_tick=960) == 480
    assert tick_at_bar("2:3", HEARD, first_bar_tick=960) == 960 + 1440 + 960
    assert tick_at_bar("-1", HEARD, first_bar_tick=960) is None  # nothing before the start
    # Without a first downbeat the same map counts from tick 0.
    assert bar_beat_label(960, HEARD) == "2"
    assert tick_at_bar("0", HEARD) is None
