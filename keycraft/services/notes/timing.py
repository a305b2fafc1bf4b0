"""Conversions between ticks, seconds, bars and piano-roll pixels."""

from __future__ import annotations

from dataclasses import dataclass

from keycraft.services.domain import TICKS_PER_QUARTER, TimeSignature

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
