"""Conversions between ticks, seconds, bars and piano-roll pixels."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from keycraft.services.domain import (
    TICKS_PER_QUARTER,
    TempoChange,
    TimeSignature,
    TimeSignatureChange,
)

LOWEST_PIANO_PITCH_MIDI = 21
"""A0, the lowest key of an 88-key piano."""

HIGHEST_PIANO_PITCH_MIDI = 108
"""C8, the highest key of an 88-key piano."""

NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


def seconds_per_tick(tempo_bpm: float) -> float:
    """Return how long one tick lasts at ``tempo_bpm`` quarter notes per minute."""
    if tempo_bpm <= 0:
        raise ValueError("tempo_bpm must be positive")
    return 60.0 / (tempo_bpm * TICKS_PER_QUARTER)


def ticks_to_seconds(ticks: int | float, tempo_bpm: float) -> float:
    """Return the duration in seconds of ``ticks`` at a constant tempo."""
    return ticks * seconds_per_tick(tempo_bpm)


def seconds_to_ticks(seconds: float, tempo_bpm: float) -> int:
    """Return the nearest whole tick to ``seconds`` at a constant tempo."""
    return round(seconds / seconds_per_tick(tempo_bpm))


def beat_length_ticks(time_signature: TimeSignature) -> int:
    """Return the ticks in one beat (the signature's denominator note)."""
    return TICKS_PER_QUARTER * 4 // time_signature.denominator


def bar_length_ticks(time_signature: TimeSignature) -> int:
    """Return the ticks in one bar of ``time_signature``."""
    return beat_length_ticks(time_signature) * time_signature.numerator


def _check_starts_at_zero(changes: Sequence[TempoChange] | Sequence[TimeSignatureChange]) -> None:
    if not changes or changes[0].tick != 0:
        raise ValueError("a map needs its first entry at tick 0")


def tick_to_seconds(tick: float, tempo_map: Sequence[TempoChange]) -> float:
    """Return the seconds from tick 0 to ``tick`` under a tempo map.

    Args:
        tick: A position in ticks (fractions allowed).
        tempo_map: Tempo changes sorted by tick, the first at tick 0; each lasts until the next.
    """
    _check_starts_at_zero(tempo_map)
    seconds = 0.0
    for change, following in zip(tempo_map, tempo_map[1:], strict=False):
        if tick < following.tick:
            break
        seconds += (following.tick - change.tick) * seconds_per_tick(change.tempo_bpm)
    else:
        change = tempo_map[-1]
    return seconds + (tick - change.tick) * seconds_per_tick(change.tempo_bpm)


def seconds_to_tick(seconds: float, tempo_map: Sequence[TempoChange]) -> float:
    """Return the (fractional) tick heard ``seconds`` after tick 0.

    The inverse of :func:`tick_to_seconds` under the same ``tempo_map``.
    """
    _check_starts_at_zero(tempo_map)
    elapsed_s = 0.0
    for change, following in zip(tempo_map, tempo_map[1:], strict=False):
        span_s = (following.tick - change.tick) * seconds_per_tick(change.tempo_bpm)
        if seconds < elapsed_s + span_s:
            break
        elapsed_s += span_s
    else:
        change = tempo_map[-1]
    return change.tick + (seconds - elapsed_s) / seconds_per_tick(change.tempo_bpm)


@dataclass(frozen=True, slots=True)
class BarLine:
    """Where a bar starts: its number (see ``_segments``), tick and signature."""

    bar_number: int
    tick: int
    time_signature: TimeSignature


@dataclass(frozen=True, slots=True)
class BarPosition:
    """A tick read as bar and beat (beats counted from 1) plus the ticks into that beat."""

    bar_number: int
    beat_number: int
    ticks_into_beat: int


@dataclass(frozen=True, slots=True)
class _Segment:
    """A stretch in one signature: from its change up to the next (``None``: forever)."""

    start_tick: int
    end_tick: int | None
    first_bar_number: int
    time_signature: TimeSignature


def _segments(
    signature_map: Sequence[TimeSignatureChange], first_bar_tick: int = 0
) -> list[_Segment]:
    """The map's stretches with their first bar numbers, bar 1 being the bar at ``first_bar_tick``.

    A transcription's bar 1 opens on the first downbeat heard; what comes before it (the
    silence before the music, a pickup) counts as bar 0, then -1, as a score numbers an
    upbeat. At ``first_bar_tick`` 0 the bars count from tick 0.
    """
    _check_starts_at_zero(signature_map)
    segments: list[_Segment] = []
    bar_number = 1
    for index, change in enumerate(signature_map):
        end = signature_map[index + 1].tick if index + 1 < len(signature_map) else None
        signature = change.time_signature
        segments.append(_Segment(change.tick, end, bar_number, signature))
        if end is not None:
            # A change starts a new bar, so a bar it interrupts still counts as one.
            bar_number += math.ceil((end - change.tick) / bar_length_ticks(signature))
    if first_bar_tick <= 0:
        return segments
    starts = [segment.start_tick for segment in segments]
    holder = segments[bisect.bisect_right(starts, first_bar_tick) - 1]
    bars_in = (first_bar_tick - holder.start_tick) // bar_length_ticks(holder.time_signature)
    before = holder.first_bar_number + bars_in - 1
    return [replace(s, first_bar_number=s.first_bar_number - before) for s in segments]


def bar_lines(
    signature_map: Sequence[TimeSignatureChange], end_tick: int, first_bar_tick: int = 0
) -> list[BarLine]:
    """Return every bar that starts before ``end_tick`` under a time-signature map.

    Each signature change starts a new bar at its tick, cutting short a bar it interrupts
    (as MIDI files and notation programs read a change in the middle of a bar). Bars are
    numbered from 1 at ``first_bar_tick`` (``_segments``).
    """
    lines: list[BarLine] = []
    for segment in _segments(signature_map, first_bar_tick):
        bar_ticks = bar_length_ticks(segment.time_signature)
        stop = end_tick if segment.end_tick is None else min(end_tick, segment.end_tick)
        for index, tick in enumerate(range(segment.start_tick, stop, bar_ticks)):
            lines.append(BarLine(segment.first_bar_number + index, tick, segment.time_signature))
        if segment.end_tick is None or segment.end_tick >= end_tick:
            break
    return lines


def beat_ticks(
    signature_map: Sequence[TimeSignatureChange], start_tick: int, end_tick: int
) -> list[int]:
    """Return the ticks of every beat in ``[start_tick, end_tick)``.

    A beat is the signature's denominator note; each bar's first beat is its downbeat, and a
    bar cut short by a change keeps only the beats before it.
    """
    beats: list[int] = []
    for segment in _segments(signature_map):
        stop = end_tick if segment.end_tick is None else min(end_tick, segment.end_tick)
        beat = beat_length_ticks(segment.time_signature)
        bar = bar_length_ticks(segment.time_signature)
        for bar_tick in range(segment.start_tick, stop, bar):
            bar_end = min(bar_tick + bar, stop)
            beats.extend(t for t in range(bar_tick, bar_end, beat) if t >= start_tick)
        if segment.end_tick is None or segment.end_tick >= end_tick:
            break
    return beats


def bar_start_tick(
    bar_number: int, signature_map: Sequence[TimeSignatureChange], first_bar_tick: int = 0
) -> int:
    """Return the tick where bar ``bar_number`` (bar 1 at ``first_bar_tick``) starts.

    Raises:
        ValueError: no bar of that number: it would start before tick 0.
    """
    segments = _segments(signature_map, first_bar_tick)
    if bar_number < segments[0].first_bar_number:
        raise ValueError("no bar starts before tick 0")
    for segment in segments:
        offset = bar_number - segment.first_bar_number
        tick = segment.start_tick + offset * bar_length_ticks(segment.time_signature)
        if segment.end_tick is None or tick < segment.end_tick:
            return tick
    raise AssertionError("the last segment never ends")  # pragma: no cover


def bar_position(
    tick: int, signature_map: Sequence[TimeSignatureChange], first_bar_tick: int = 0
) -> BarPosition:
    """Return the bar (bar 1 at ``first_bar_tick``) and beat that ``tick`` falls in."""
    starts = [change.tick for change in signature_map]
    segment = _segments(signature_map, first_bar_tick)[bisect.bisect_right(starts, tick) - 1]
    into_segment = tick - segment.start_tick
    bars, into_bar = divmod(into_segment, bar_length_ticks(segment.time_signature))
    beats, into_beat = divmod(into_bar, beat_length_ticks(segment.time_signature))
    return BarPosition(segment.first_bar_number + bars, beats + 1, into_beat)


def note_name(pitch_midi: int) -> str:
    """Return a name like ``C4`` (middle C is MIDI 60) for ``pitch_midi``."""
    return f"{NOTE_NAMES[pitch_midi % 12]}{pitch_midi // 12 - 1}"


@dataclass(frozen=True, slots=True)
class RollGeometry:
    """Where ticks and pitches sit on the piano-roll canvas.

    The roll's x axis starts at tick 0; its y axis starts at the top with the highest key.
    """

    pixels_per_beat: float = 96.0
    key_height_px: float = 14.0
    highest_pitch_midi: int = HIGHEST_PIANO_PITCH_MIDI

    def tick_to_x_px(self, tick: float) -> float:
        """Return the x pixel of ``tick``."""
        return tick * self.pixels_per_beat / TICKS_PER_QUARTER

    def x_px_to_tick(self, x_px: float) -> int:
        """Return the whole tick under pixel ``x_px`` (rounded down, never negative)."""
        return max(0, int(x_px * TICKS_PER_QUARTER // self.pixels_per_beat))

    def pitch_to_y_px(self, pitch_midi: int) -> float:
        """Return the top pixel of the key row for ``pitch_midi``."""
        return (self.highest_pitch_midi - pitch_midi) * self.key_height_px

    def y_px_to_pitch(self, y_px: float) -> int:
        """Return the pitch whose key row contains pixel ``y_px``."""
        return self.highest_pitch_midi - int(y_px // self.key_height_px)
