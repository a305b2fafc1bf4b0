"""Tempo and metre maps from tracked beats: beats on beat ticks, bars on the downbeats."""

from __future__ import annotations

from dataclasses import replace

import pytest

from keycraft.services.domain import (
    TICKS_PER_QUARTER,
    BeatTrack,
    Note,
    TimeSignature,
    TimeSignatureChange,
    TrackedBeat,
)
from keycraft.services.notes import beat_map
from keycraft.services.notes.grid import quantize_note
from keycraft.services.notes.timing import (
    bar_lines,
    beat_ticks,
    seconds_to_tick,
    tick_to_seconds,
)


def minuet_beats(count: int = 150, pickup: int = 1, start_s: float = 0.4) -> list[TrackedBeat]:
    """A 3/4 minuet's beats: a one-beat pickup, 0.5 s beats slowing by a third at the end."""
    beats, time_s = [], start_s
    for index in range(count):
        beats.append(TrackedBeat(round(time_s, 4), (index - pickup) % 3 == 0))
        slowing = max(0.0, (index - 0.8 * count) / (0.2 * count))
        time_s += 0.5 * (1 + slowing / 3)
    return beats


def _check_follows(track: BeatTrack) -> beat_map.ProjectTiming:
    timing = beat_map.timing_for(track)
    tempo_map = timing.tempo_map
    signature_map = (
        TimeSignatureChange(0, *_pair(timing.time_signature)),
        *timing.time_signature_changes,
    )
    end_tick = round(seconds_to_tick(track.beats[-1].time_s, tempo_map)) + 1
    ticks_of_beats = set(beat_ticks(signature_map, 0, end_tick))
    for beat in track.beats:
        tick = seconds_to_tick(beat.time_s, tempo_map)
        whole = round(tick)
        # Each beat is heard within 1 ms of a beat tick.
        assert abs(tick_to_seconds(whole, tempo_map) - beat.time_s) < 0.001
        assert whole in ticks_of_beats
    bars = {line.tick for line in bar_lines(signature_map, end_tick)}
    first = track.beats[track.first_downbeat_index]
    for beat in track.beats[track.first_downbeat_index :: track.meter.numerator]:
        assert round(seconds_to_tick(beat.time_s, tempo_map)) in bars
    assert round(seconds_to_tick(first.time_s, tempo_map)) in bars
    return timing


def _pair(signature: TimeSignature) -> tuple[int, int]:
    return signature.numerator, signature.denominator


def test_fresh_beats_take_the_trackers_metre_and_first_downbeat() -> None:
    track = beat_map.tracked(minuet_beats(), TimeSignature(3, 4))
    assert track.meter == TimeSignature(3, 4)
    assert track.first_downbeat_index == 1 and track.follow
    assert beat_map.tracked(minuet_beats()[:5], None).meter == TimeSignature(4, 4)


def test_following_the_minuet_puts_every_beat_on_a_beat_and_bars_on_downbeats() -> None:
    track = beat_map.tracked(minuet_beats(), TimeSignature(3, 4))
    timing = _check_follows(track)
    # A lead-in and a one-beat pickup make a short first bar, then 3/4 throughout.
    assert len(timing.time_signature_changes) == 1
    assert _pair(timing.time_signature_changes[0].time_signature) == (3, 4)
    assert timing.time_signature.numerator * 1920 // timing.time_signature.denominator < 1440
    # The ritardando shows as slower tempos at the end.
    middle = timing.tempo_map[1].tempo_bpm
    assert middle == pytest.approx(120.0, abs=0.5)
    assert timing.tempo_map[-1].tempo_bpm == pytest.approx(91.0, abs=1.0)


@pytest.mark.parametrize(
    ("meter", "first"),
    [((2, 4), 0), ((3, 4), 2), ((4, 4), 3), ((6, 8), 1), ((3, 4), 0), ((5, 4), 7)],
)
def test_any_metre_and_first_downbeat_regroup_the_bars(meter: tuple[int, int], first: int) -> None:
    track = BeatTrack(tuple(minuet_beats(90)), TimeSignature(*meter), first, follow=True)
    _check_follows(track)


def test_a_first_beat_at_the_very_start_needs_no_lead_in() -> None:
    track = beat_map.tracked(minuet_beats(60, pickup=0, start_s=0.0), TimeSignature(3, 4))
    timing = _check_follows(track)
    assert timing.time_signature == TimeSignature(3, 4) and not timing.time_signature_changes


def test_one_tempo_is_the_typical_beat_with_the_first_downbeat_on_a_bar_line() -> None:
    track = replace(beat_map.tracked(minuet_beats(), TimeSignature(3, 4)), follow=False)
    timing = beat_map.timing_for(track)
    assert len(timing.tempo_changes) <= 1
    assert timing.tempo_map[-1].tempo_bpm == pytest.approx(120.0, abs=0.01)
    downbeat_s = track.beats[1].time_s
    signature_map = (
        TimeSignatureChange(0, *_pair(timing.time_signature)),
        *timing.time_signature_changes,
    )
    bars = {line.tick for line in bar_lines(signature_map, 20_000)}
    downbeat_tick = round(seconds_to_tick(downbeat_s, timing.tempo_map))
    assert abs(tick_to_seconds(downbeat_tick, timing.tempo_map) - downbeat_s) < 0.001
    assert downbeat_tick in bars


def test_stored_tempos_never_drift_over_a_long_performance() -> None:
    beats = [TrackedBeat(round(0.25 + 0.4713 * i + 0.003 * (i % 7), 4)) for i in range(1900)]
    timing = _check_follows(BeatTrack(tuple(beats), TimeSignature(4, 4)))
    assert all(20 <= c.tempo_bpm <= 400 for c in timing.tempo_map)


def test_the_nearest_beat_is_found_either_side() -> None:
    track = BeatTrack(tuple(TrackedBeat(t) for t in (0.5, 1.0, 1.5)))
    assert beat_map.nearest_beat_index(track, 0.0) == 0
    assert beat_map.nearest_beat_index(track, 1.2) == 1
    assert beat_map.nearest_beat_index(track, 1.3) == 2
    assert beat_map.nearest_beat_index(track, 9.0) == 2


@pytest.mark.parametrize("follow", [True, False])
def test_bar_ones_handle_sits_on_a_bar_line_at_the_first_downbeat(follow: bool) -> None:
    track = replace(beat_map.tracked(minuet_beats(), TimeSignature(3, 4)), follow=follow)
    timing = beat_map.timing_for(track)
    tick = beat_map.first_downbeat_tick(track, timing.tempo_map)
    assert tick_to_seconds(tick, timing.tempo_map) == pytest.approx(track.beats[1].time_s, abs=1e-3)
    signature_map = (
        TimeSignatureChange(0, *_pair(timing.time_signature)),
        *timing.time_signature_changes,
    )
    assert tick in {line.tick for line in bar_lines(signature_map, tick + 1)}


def test_too_few_beats_give_no_map() -> None:
    track = BeatTrack((TrackedBeat(0.5, True),))
    assert not beat_map.usable(track)
    assert beat_map.first_downbeat_tick(track, ()) == -1
    with pytest.raises(ValueError):
        beat_map.timing_for(track)


def test_quantizing_to_beats_snaps_notes_to_the_played_beats() -> None:
    beats = minuet_beats()
    timing = beat_map.timing_for(beat_map.tracked(beats, TimeSignature(3, 4)))
    for beat in beats[::7]:
        # A note played 40 ms after the beat: quarter-note quantize puts it on the beat.
        late = round(seconds_to_tick(beat.time_s + 0.04, timing.tempo_map))
        snapped = quantize_note(Note(late, 100, 60, 80), TICKS_PER_QUARTER)
        assert abs(tick_to_seconds(snapped.start_tick, timing.tempo_map) - beat.time_s) < 0.001


def test_a_first_beat_soon_after_the_start_still_gets_a_whole_lead_in_beat() -> None:
    beats = [TrackedBeat(0.2 + 0.5 * i, i % 4 == 0) for i in range(16)]
    timing = beat_map.timing_for(beat_map.tracked(beats, TimeSignature(4, 4)))
    # A one-beat lead-in (a 1/4 first bar) at a fast tempo, then the beats themselves.
    assert timing.time_signature == TimeSignature(1, 4)
    assert timing.tempo_bpm == 300.0
    assert tick_to_seconds(480 * 5, timing.tempo_map) == pytest.approx(2.2, abs=0.001)


def test_a_performance_too_long_to_follow_beat_by_beat_opens_in_one_tempo() -> None:
    count = beat_map.MAX_FOLLOWED_BEATS + 1
    # Played unevenly, so following it takes a tempo change at every beat.
    beats = [
        TrackedBeat(round(0.5 + 0.5 * i + 0.004 * (i % 3), 4), i % 4 == 0) for i in range(count)
    ]
    track = beat_map.tracked(beats, TimeSignature(4, 4))
    assert beat_map.usable(track) and not track.follow
    timing = beat_map.checked_timing(track)
    assert timing.tempo_map[-1].tempo_bpm == pytest.approx(120.0, abs=1.0)
    with pytest.raises(ValueError):
        beat_map.checked_timing(replace(track, follow=True))
    # The longest map a project stores still follows every beat.
    followed = beat_map.checked_timing(replace(track, beats=track.beats[:-1], follow=True))
    assert len(followed.tempo_changes) > beat_map.MAX_FOLLOWED_BEATS // 2
