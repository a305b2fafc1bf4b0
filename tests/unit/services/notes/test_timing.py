"""Tick, second, bar and pixel conversions, under constant tempo and under maps."""

import random

import pytest

from keycraft.services.domain import TempoChange, TimeSignature, TimeSignatureChange
from keycraft.services.notes.timing import (
    BarPosition,
    RollGeometry,
    bar_length_ticks,
    bar_lines,
    bar_position,
    bar_start_tick,
    beat_length_ticks,
    beat_ticks,
    note_name,
    seconds_to_tick,
    seconds_to_ticks,
    tick_to_seconds,
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


# --- tempo maps -----------------------------------------------------------------------------
MAP_120_THEN_60 = (TempoChange(0, 120.0), TempoChange(960, 60.0))


def test_ticks_before_a_tempo_change_use_the_first_tempo() -> None:
    assert tick_to_seconds(0, MAP_120_THEN_60) == 0
    assert tick_to_seconds(480, MAP_120_THEN_60) == pytest.approx(0.5)
    assert tick_to_seconds(960, MAP_120_THEN_60) == pytest.approx(1.0)


def test_ticks_after_a_tempo_change_add_up_each_stretch() -> None:
    assert tick_to_seconds(1440, MAP_120_THEN_60) == pytest.approx(2.0)
    three = (TempoChange(0, 100.0), TempoChange(480, 50.0), TempoChange(720, 200.0))
    assert tick_to_seconds(1200, three) == pytest.approx(0.6 + 0.6 + 0.3)


def test_seconds_to_tick_inverts_across_changes() -> None:
    assert seconds_to_tick(1.0, MAP_120_THEN_60) == pytest.approx(960)
    assert seconds_to_tick(1.5, MAP_120_THEN_60) == pytest.approx(1200)
    assert seconds_to_tick(0.25, MAP_120_THEN_60) == pytest.approx(240)


def test_a_one_entry_map_matches_the_constant_tempo_converters() -> None:
    for tick in (0, 1, 479, 12345):
        assert tick_to_seconds(tick, (TempoChange(0, 97.5),)) == pytest.approx(
            ticks_to_seconds(tick, 97.5)
        )


def test_a_map_must_start_at_tick_zero() -> None:
    with pytest.raises(ValueError):
        tick_to_seconds(10, (TempoChange(480, 90.0),))
    with pytest.raises(ValueError):
        bar_lines((), 1920)


def _random_tempo_map(rng: random.Random) -> tuple[TempoChange, ...]:
    ticks = sorted(rng.sample(range(1, 50_000), rng.randint(0, 12)))
    return tuple(TempoChange(t, round(rng.uniform(20, 400), 2)) for t in [0, *ticks])


def test_property_tick_to_seconds_is_increasing_and_seconds_to_tick_inverts_it() -> None:
    rng = random.Random(20261126)
    for _ in range(300):
        tempo_map = _random_tempo_map(rng)
        ticks = sorted(rng.uniform(0, 60_000) for _ in range(20))
        seconds = [tick_to_seconds(t, tempo_map) for t in ticks]
        assert seconds == sorted(seconds)
        for tick, at_s in zip(ticks, seconds, strict=True):
            assert seconds_to_tick(at_s, tempo_map) == pytest.approx(tick, abs=1e-6)


def test_property_seconds_are_the_sum_of_each_stretch_at_its_own_tempo() -> None:
    rng = random.Random(7)
    for _ in range(200):
        tempo_map = _random_tempo_map(rng)
        tick = rng.randint(0, 60_000)
        # Step one tick at a time through a coarse copy: the same sum, done the slow way.
        expected = 0.0
        for change, following in zip(tempo_map, (*tempo_map[1:], None), strict=True):
            end = tick if following is None else min(tick, following.tick)
            if end > change.tick:
                expected += (end - change.tick) * 60 / (change.tempo_bpm * 480)
        assert tick_to_seconds(tick, tempo_map) == pytest.approx(expected, rel=1e-12)


# --- time-signature maps --------------------------------------------------------------------
THREE_FOUR_THEN_FOUR_FOUR = (TimeSignatureChange(0, 3, 4), TimeSignatureChange(2880, 4, 4))


def test_bar_lines_follow_each_signature_in_turn() -> None:
    lines = bar_lines(THREE_FOUR_THEN_FOUR_FOUR, 6720)
    assert [(b.bar_number, b.tick) for b in lines] == [
        (1, 0),
        (2, 1440),
        (3, 2880),
        (4, 4800),
    ]
    assert lines[1].time_signature == TimeSignature(3, 4)
    assert lines[2].time_signature == TimeSignature(4, 4)


def test_a_change_in_the_middle_of_a_bar_cuts_it_short_and_starts_a_new_bar() -> None:
    signatures = (TimeSignatureChange(0, 4, 4), TimeSignatureChange(960, 6, 8))
    assert [(b.bar_number, b.tick) for b in bar_lines(signatures, 4000)] == [
        (1, 0),
        (2, 960),
        (3, 2400),
        (4, 3840),
    ]
    assert beat_ticks(signatures, 0, 1500) == [0, 480, 960, 1200, 1440]


def test_beats_are_the_denominator_note_of_each_signature() -> None:
    assert beat_ticks(THREE_FOUR_THEN_FOUR_FOUR, 1000, 3900) == [1440, 1920, 2400, 2880, 3360, 3840]


def test_bar_start_and_bar_position_agree_with_the_bar_lines() -> None:
    assert bar_start_tick(1, THREE_FOUR_THEN_FOUR_FOUR) == 0
    assert bar_start_tick(3, THREE_FOUR_THEN_FOUR_FOUR) == 2880
    assert bar_start_tick(5, THREE_FOUR_THEN_FOUR_FOUR) == 6720
    assert bar_position(0, THREE_FOUR_THEN_FOUR_FOUR) == BarPosition(1, 1, 0)
    assert bar_position(2000, THREE_FOUR_THEN_FOUR_FOUR) == BarPosition(2, 2, 80)
    assert bar_position(4800 + 1500, THREE_FOUR_THEN_FOUR_FOUR) == BarPosition(4, 4, 60)
    with pytest.raises(ValueError):
        bar_start_tick(0, THREE_FOUR_THEN_FOUR_FOUR)


def test_property_every_bar_line_is_where_its_bar_starts_and_reads_as_beat_one() -> None:
    rng = random.Random(42)
    signatures = [TimeSignature(n, d) for n in (2, 3, 4, 5, 6, 7, 9, 12) for d in (4, 8)]
    for _ in range(200):
        ticks = sorted(rng.sample(range(1, 40_000), rng.randint(0, 6)))
        chosen = [rng.choice(signatures) for _ in range(len(ticks) + 1)]
        signature_map = tuple(
            TimeSignatureChange(t, s.numerator, s.denominator)
            for t, s in zip([0, *ticks], chosen, strict=True)
        )
        lines = bar_lines(signature_map, 50_000)
        assert [b.bar_number for b in lines] == list(range(1, len(lines) + 1))
        assert {c.tick for c in signature_map} <= {b.tick for b in lines}
        beats = set(beat_ticks(signature_map, 0, 50_000))
        for line in lines:
            assert bar_start_tick(line.bar_number, signature_map) == line.tick
            assert bar_position(line.tick, signature_map) == BarPosition(line.bar_number, 1, 0)
            assert line.tick in beats
