"""Tempo and metre maps from a recording's tracked beats, so bars follow what was played."""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Sequence
from dataclasses import replace

from keycraft.services.domain import (
    TICKS_PER_QUARTER,
    BeatTrack,
    ProjectTiming,
    TempoChange,
    TimeSignature,
    TimeSignatureChange,
    TrackedBeat,
)
from keycraft.services.notes.timing import beat_length_ticks, seconds_per_tick, seconds_to_tick
from keycraft.services.projects import (
    MAX_MAP_CHANGES,
    MAX_TEMPO_BPM,
    MIN_TEMPO_BPM,
    check_tempo_changes,
    check_time_signature,
    check_time_signature_changes,
)

MIN_LEAD_IN_S = 0.03
"""A first beat this close to the start of the recording is taken as its very start."""
MAX_FOLLOWED_BEATS = MAX_MAP_CHANGES - 1
"""At most this many beats are followed one by one (a tempo change each, and the lead-in's);
a longer performance opens in one tempo."""
MAX_TRACKED_BEATS = 4000
"""Beats a project keeps (about 53 KB stored; half an hour at 120 bpm)."""
FOLLOW, ONE_TEMPO = "follow", "one"
"""The two ways of reading the beats' tempo, as ``reading_summary`` names them."""


def tracked(beats: Sequence[TrackedBeat], meter: TimeSignature | None) -> BeatTrack:
    """The first reading of freshly tracked beats: the tracker's metre and first downbeat.

    Without a metre the bars are counted in 4/4; without a downbeat bar 1 starts on the
    first beat.
    """
    ordered = tuple(sorted(beats, key=lambda b: b.time_s))
    first = next((i for i, b in enumerate(ordered) if b.downbeat), 0)
    follow = len(ordered) <= MAX_FOLLOWED_BEATS
    return BeatTrack(ordered, meter or TimeSignature(), first_downbeat_index=first, follow=follow)


def usable(track: BeatTrack) -> bool:
    """Whether ``track`` has enough beats to give a map (two) and not too many to keep."""
    return 2 <= len(track.beats) <= MAX_TRACKED_BEATS


def typical_beat_s(track: BeatTrack) -> float:
    """The median time between consecutive tracked beats, in seconds."""
    times = [b.time_s for b in track.beats]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False) if b > a]
    return statistics.median(gaps) if gaps else 0.5


def _first_downbeat_index(track: BeatTrack) -> int:
    """The beat bar 1 starts on, kept inside the track (a stored index may be out of range)."""
    return min(max(0, track.first_downbeat_index), len(track.beats) - 1)


def first_downbeat_tick(track: BeatTrack, tempo_map: Sequence[TempoChange]) -> int:
    """Where bar 1 starts in ticks under ``tempo_map``: the roll's handle; -1 without beats."""
    if not usable(track):
        return -1
    first = _first_downbeat_index(track)
    return round(seconds_to_tick(track.beats[first].time_s, tempo_map))


def nearest_beat_index(track: BeatTrack, time_s: float) -> int:
    """The index of the tracked beat nearest to ``time_s`` (the first beat if none)."""
    times = [b.time_s for b in track.beats]
    at = bisect.bisect_left(times, time_s)
    candidates = [i for i in (at - 1, at) if 0 <= i < len(times)]
    if not candidates:
        return 0
    return min(candidates, key=lambda i: abs(times[i] - time_s))


def timing_for(track: BeatTrack) -> ProjectTiming:
    """The tempo and metre maps that read ``track``'s beats in its metre.

    Following the performance, every tracked beat falls on a beat tick (tempo changes at
    each beat, rounded as stored with the error carried on, so beats stay within a
    fraction of a millisecond); the time before the first beat is a lead-in of whole
    beats. With one tempo (the typical beat) only the first downbeat is placed
    exactly. Either way bar lines fall on the first downbeat and every ``numerator``
    beats after it; what comes before it is one short first bar (a pickup).

    Raises:
        ValueError: the track has too few or too many beats (see :func:`usable`), or too
            many to follow one by one (``MAX_FOLLOWED_BEATS``).
    """
    if not usable(track):
        raise ValueError("a beat map needs between 2 and MAX_TRACKED_BEATS beats")
    if track.follow and len(track.beats) > MAX_FOLLOWED_BEATS:
        raise ValueError("too many beats to follow one by one")
    beat_ticks = beat_length_ticks(track.meter)
    first = _first_downbeat_index(track)
    if track.follow:
        lead_ticks = _lead_in_ticks(track, beat_ticks)
        points = _beat_points(track, lead_ticks, beat_ticks)
        downbeat_tick = lead_ticks + first * beat_ticks
        tempos = _tempos_through(points)
    else:
        tempos, downbeat_tick = _one_tempo(track, beat_ticks, first)
    signatures = _signatures(track.meter, downbeat_tick)
    return ProjectTiming(
        tempo_bpm=tempos[0].tempo_bpm,
        time_signature=signatures[0].time_signature,
        tempo_changes=tempos[1:],
        time_signature_changes=signatures[1:],
        beat_track=track,
    )


def checked_timing(track: BeatTrack) -> ProjectTiming:
    """:func:`timing_for`, refused unless a project can store it.

    Raises:
        ValueError: the track has too few or too many beats.
        InvalidTimeSignature: a metre the editor cannot draw.
        InvalidTempoMap: a map the project cannot store.
    """
    check_time_signature(track.meter)
    timing = timing_for(track)
    check_tempo_changes(timing.tempo_changes)
    check_time_signature_changes(timing.time_signature_changes)
    return timing


def reading_summary(track: BeatTrack) -> dict[str, str]:
    """How the editor shows a track's reading: small strings, all empty without beats.

    Keys: ``tracked`` ("yes" or ""), ``meter`` ("3/4"), ``first_downbeat`` (the index of
    the beat bar 1 starts on, from 0), ``first_downbeat_s`` (its time, "0.52"), ``beats``
    (how many), ``tempo_mode`` (``FOLLOW`` or ``ONE_TEMPO``) and ``description`` (a sentence).
    """
    if not usable(track):
        keys = ("tracked", "meter", "first_downbeat", "first_downbeat_s", "beats", "tempo_mode")
        return {**dict.fromkeys(keys, ""), "description": ""}
    first = _first_downbeat_index(track)
    meter = f"{track.meter.numerator}/{track.meter.denominator}"
    first_s = f"{track.beats[first].time_s:.2f}"
    mode = FOLLOW if track.follow else ONE_TEMPO
    how = "following the performance" if track.follow else "in one tempo for the whole piece"
    return {
        "tracked": "yes",
        "meter": meter,
        "first_downbeat": str(first),
        "first_downbeat_s": first_s,
        "beats": str(len(track.beats)),
        "tempo_mode": mode,
        "description": (
            f"{meter}, bar 1 starts on beat {first + 1} of {len(track.beats)} "
            f"({first_s} s into the recording), {how}."
        ),
    }


def _lead_in_ticks(track: BeatTrack, beat_ticks: int) -> int:
    """Ticks before the first tracked beat: the whole beats that fit at the opening tempo.

    Whole beats keep every tracked beat on the snap grid (counted from tick 0), so
    quantizing snaps to the played beats.
    """
    first_s = track.beats[0].time_s
    if first_s < MIN_LEAD_IN_S:
        return 0
    opening_s = track.beats[1].time_s - first_s
    beats = round(first_s / opening_s) if opening_s > 0 else 1
    return max(1, beats) * beat_ticks


def _beat_points(track: BeatTrack, lead_ticks: int, beat_ticks: int) -> list[tuple[int, float]]:
    """(tick, seconds) pairs the tempo map must pass through, from (0, 0.0)."""
    points = [(0, 0.0)]
    for index, beat in enumerate(track.beats):
        tick = lead_ticks + index * beat_ticks
        if tick > 0:
            points.append((tick, beat.time_s))
    return points


def _stored_tempo(span_ticks: int, span_s: float) -> float:
    """The tempo (rounded as stored, within range) that plays ``span_ticks`` in ``span_s``."""
    if span_s <= 0:
        return MAX_TEMPO_BPM
    bpm = 60.0 * span_ticks / (span_s * TICKS_PER_QUARTER)
    return round(min(MAX_TEMPO_BPM, max(MIN_TEMPO_BPM, bpm)), 2)


def _tempos_through(points: Sequence[tuple[int, float]]) -> tuple[TempoChange, ...]:
    """A tempo map reaching each point's tick at its second.

    Each tempo aims at its point from where the previous rounded tempo really ended, so
    the rounding never adds up over a long piece.
    """
    changes: list[TempoChange] = []
    elapsed_s = 0.0
    for (tick, _), (next_tick, next_s) in zip(points, points[1:], strict=False):
        bpm = _stored_tempo(next_tick - tick, next_s - elapsed_s)
        elapsed_s += (next_tick - tick) * seconds_per_tick(bpm)
        if not changes or changes[-1].tempo_bpm != bpm:
            changes.append(TempoChange(tick, bpm))
    return tuple(changes)


def _one_tempo(
    track: BeatTrack, beat_ticks: int, first: int
) -> tuple[tuple[TempoChange, ...], int]:
    """The typical beat's tempo and the first downbeat's tick.

    A lead-in tempo before the first downbeat puts it exactly on a beat.
    """
    quarters_per_beat = beat_ticks / TICKS_PER_QUARTER
    tempo = _stored_tempo(TICKS_PER_QUARTER, typical_beat_s(track) / quarters_per_beat)
    downbeat_s = track.beats[first].time_s
    if downbeat_s < MIN_LEAD_IN_S:
        return (TempoChange(0, tempo),), 0
    beats = round(downbeat_s / seconds_per_tick(tempo) / beat_ticks)
    downbeat_tick = max(1, beats) * beat_ticks
    lead = _stored_tempo(downbeat_tick, downbeat_s)
    if lead == tempo:
        return (TempoChange(0, tempo),), downbeat_tick
    return (TempoChange(0, lead), TempoChange(downbeat_tick, tempo)), downbeat_tick


def _signatures(meter: TimeSignature, downbeat_tick: int) -> tuple[TimeSignatureChange, ...]:
    """Bars of ``meter`` through ``downbeat_tick`` (a whole number of beats).

    One short first bar (a pickup) comes first when the downbeat is not on a whole bar.
    """
    beat = beat_length_ticks(meter)
    pickup_beats = downbeat_tick % (beat * meter.numerator) // beat
    whole = TimeSignatureChange(pickup_beats * beat, meter.numerator, meter.denominator)
    if pickup_beats == 0:
        return (replace(whole, tick=0),)
    return (TimeSignatureChange(0, pickup_beats, meter.denominator), whole)
