"""The landing page's demo piece: notes read from a MIDI file and laid out as a piano roll."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import mido

from keycraft.config import PROJECT_ROOT
from keycraft.services.domain import TICKS_PER_QUARTER, Note

DEMO_MIDI_PATH = PROJECT_ROOT / "assets" / "demo" / "minuet-in-g.mid"
_BLACK_PITCH_CLASSES = frozenset({1, 3, 6, 8, 10})


@dataclass(frozen=True, slots=True)
class RollNote:
    """A note's box in a piano roll, in percent of the roll's width and height."""

    left_pct: float
    top_pct: float
    width_pct: float
    height_pct: float
    pitch_midi: int
    velocity: int


@dataclass(frozen=True, slots=True)
class RollLane:
    """One pitch row of the roll; black-key rows are shaded."""

    pitch_midi: int
    top_pct: float
    height_pct: float
    is_black: bool


@dataclass(frozen=True, slots=True)
class RollLayout:
    """Everything needed to draw a read-only piano roll."""

    notes: tuple[RollNote, ...]
    lanes: tuple[RollLane, ...]
    bar_lines_pct: tuple[float, ...]
    lowest_pitch_midi: int
    highest_pitch_midi: int


def is_black_key(pitch_midi: int) -> bool:
    """Whether a MIDI pitch is a black key on the piano."""
    return pitch_midi % 12 in _BLACK_PITCH_CLASSES


def read_midi_notes(path: Path) -> tuple[Note, ...]:
    """Read every note of a MIDI file, rescaled to ``TICKS_PER_QUARTER``, in start order."""
    song = mido.MidiFile(path)
    scale = TICKS_PER_QUARTER / song.ticks_per_beat
    notes: list[Note] = []
    for track in song.tracks:
        tick = 0
        sounding: dict[int, tuple[int, int]] = {}
        for message in track:
            tick += message.time
            if message.type == "note_on" and message.velocity > 0:
                sounding[message.note] = (tick, message.velocity)
            elif message.type in ("note_off", "note_on") and message.note in sounding:
                start, velocity = sounding.pop(message.note)
                notes.append(
                    Note(
                        round(start * scale), round((tick - start) * scale), message.note, velocity
                    )
                )
    return tuple(sorted(notes, key=lambda n: (n.start_tick, n.pitch_midi)))


def roll_layout(
    notes: tuple[Note, ...], beats_per_bar: int = 4, padding_semitones: int = 1
) -> RollLayout:
    """Place notes in a roll whose time axis spans whole bars and pitch axis spans the notes."""
    if not notes:
        return RollLayout((), (), (), 60, 72)
    low = min(n.pitch_midi for n in notes) - padding_semitones
    high = max(n.pitch_midi for n in notes) + padding_semitones
    rows = high - low + 1
    bar_ticks = beats_per_bar * TICKS_PER_QUARTER
    end_tick = max(n.start_tick + n.duration_ticks for n in notes)
    bars = -(-end_tick // bar_ticks)
    total_ticks = bars * bar_ticks
    row_pct = 100 / rows

    def top(pitch: int) -> float:
        return (high - pitch) * row_pct  # high notes at the top, as on every piano roll

    return RollLayout(
        notes=tuple(
            RollNote(
                left_pct=100 * n.start_tick / total_ticks,
                top_pct=top(n.pitch_midi),
                width_pct=100 * n.duration_ticks / total_ticks,
                height_pct=row_pct,
                pitch_midi=n.pitch_midi,
                velocity=n.velocity,
            )
            for n in notes
        ),
        lanes=tuple(
            RollLane(pitch, top(pitch), row_pct, is_black_key(pitch))
            for pitch in range(high, low - 1, -1)
        ),
        bar_lines_pct=tuple(100 * bar / bars for bar in range(1, bars)),
        lowest_pitch_midi=low,
        highest_pitch_midi=high,
    )


@lru_cache(maxsize=1)
def demo_roll() -> RollLayout:
    """The demo piece (a Minuet in G, 3/4) laid out once per process."""
    return roll_layout(read_midi_notes(DEMO_MIDI_PATH), beats_per_bar=3)
