"""Tick, second, bar and pixel conversions."""

import pytest

from keycraft.services.domain import TimeSignature
from keycraft.services.notes.timing import (
    RollGeometry,
    bar_length_ticks,
    beat_length_ticks,
    note_name,
    seconds_to_ticks,
    ticks_to_seconds,
)


def test_one_quarter_at_120_bpm_lasts_half_a_second() -> None:
    assert ticks_to_seconds(480, 120.0) == pytest.approx(0.5)
    assert ticks_to_seconds(960, 60.0) == pytest.approx(2.0)


def test_seconds_to_ticks_rounds_to_the_nearest_tick_and_inverts() -> None:
    assert seconds_to_ticks(0.5, 120.0) == 480
    assert seconds_to_ticks(0.2505, 120.0) == 240  # 240.48 ticks
    for tick in (0, 1, 479, 12345):
        assert seconds_to_ticks(ticks_to_seconds(tick, 97.5), 97.5) == tick


def test_tempo_must_be_positive() -> None:
    with pytest.raises(ValueError):
        ticks_to_seconds(480, 0)


def test_bar_and_beat_lengths_follow_the_time_signature() -> None:
    assert bar_length_ticks(TimeSignature(4, 4)) == 1920
    assert bar_length_ticks(TimeSignature(3, 4)) == 1440
    assert beat_length_ticks(TimeSignature(6, 8)) == 240
    assert bar_length_ticks(TimeSignature(6, 8)) == 1440


def test_geometry_maps_ticks_and_pitches_to_pixels_and_back() -> None:
    geometry = RollGeometry(pixels_per_beat=100, key_height_px=10, highest_pitch_midi=108)
    assert geometry.tick_to_x_px(480) == 100
    assert geometry.x_px_to_tick(100) == 480
    assert geometry.x_px_to_tick(99.9) == 479
    assert geometry.x_px_to_tick(-5) == 0
    assert geometry.pitch_to_y_px(108) == 0
    assert geometry.pitch_to_y_px(60) == 480
    assert geometry.y_px_to_pitch(480) == 60
    assert geometry.y_px_to_pitch(489.9) == 60
    assert geometry.y_px_to_pitch(490) == 59


def test_note_names_put_middle_c_in_octave_four() -> None:
    assert note_name(60) == "C4"
    assert note_name(21) == "A0"
    assert note_name(108) == "C8"
    assert note_name(61) == "C#4"
