"""Short, deterministic piano pieces written as MIDI for accuracy evaluation."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import pretty_midi

ACOUSTIC_GRAND_PIANO = 0
SUSTAIN_CONTROL = 64
# Chord roots of a I-vi-IV-V-I-IV-V-I progression in C major, as MIDI pitches.
_PROGRESSION = (60, 57, 53, 55, 60, 53, 55, 60)
_MAJOR_SCALE_STEPS = (0, 2, 4, 5, 7, 9, 11)


@dataclass(frozen=True)
class ScoreNote:
    """One written note.

    Attributes:
        start_s: Onset time in seconds.
        end_s: Release time in seconds.
        pitch_midi: MIDI key number.
        velocity: MIDI velocity, 1-127.
    """

    start_s: float
    end_s: float
    pitch_midi: int
    velocity: int


@dataclass(frozen=True)
class ScorePedal:
    """The sustain pedal held down from ``start_s`` to ``end_s`` (seconds)."""

    start_s: float
    end_s: float


@dataclass(frozen=True)
class Piece:
    """A named piece ready to render, with its sustain pedal (none by default)."""

    name: str
    notes: tuple[ScoreNote, ...]
    pedals: tuple[ScorePedal, ...] = ()

    @property
    def duration_s(self) -> float:
        """Time of the last release of a key or of the pedal."""
        return max([n.end_s for n in self.notes] + [p.end_s for p in self.pedals])

    def to_midi(self) -> pretty_midi.PrettyMIDI:
        """Return the piece as a one-track piano MIDI file."""
        midi = pretty_midi.PrettyMIDI(initial_tempo=120.0)
        piano = pretty_midi.Instrument(program=ACOUSTIC_GRAND_PIANO, name="piano")
        for n in self.notes:
            piano.notes.append(pretty_midi.Note(n.velocity, n.pitch_midi, n.start_s, n.end_s))
        for p in self.pedals:
            piano.control_changes.append(pretty_midi.ControlChange(SUSTAIN_CONTROL, 127, p.start_s))
            piano.control_changes.append(pretty_midi.ControlChange(SUSTAIN_CONTROL, 0, p.end_s))
        midi.instruments.append(piano)
        return midi


def _triad(root: int, minor: bool) -> tuple[int, int, int]:
    return (root, root + (3 if minor else 4), root + 7)


def scales_and_arpeggios() -> Piece:
    """C major scale over two octaves up and down, then broken chords."""
    notes: list[ScoreNote] = []
    t = 0.5
    step_s = 0.2
    pitches = [48 + 12 * (i // 7) + _MAJOR_SCALE_STEPS[i % 7] for i in range(15)]
    for p in pitches + pitches[-2::-1]:
        notes.append(ScoreNote(t, t + step_s * 0.9, p, 80))
        t += step_s
    t += 0.4
    for root in (60, 65, 67, 60):
        minor = False
        for p in (*_triad(root, minor), root + 12, root + 7, root + 4):
            notes.append(ScoreNote(t, t + 0.25, p, 72))
            t += 0.25
    return Piece("scales_and_arpeggios", tuple(notes))


def chorale() -> Piece:
    """Four-part block chords with a soprano line, one chord every 1.2 s."""
    notes: list[ScoreNote] = []
    soprano = (76, 76, 77, 74, 72, 72, 71, 72)
    t = 0.5
    for i, root in enumerate(_PROGRESSION):
        minor = root == 57
        triad = _triad(root, minor)
        voices = (triad[0] - 12, triad[1], triad[2], soprano[i])
        for v, p in enumerate(voices):
            notes.append(ScoreNote(t, t + 1.1, p, 64 + 8 * (v == 3)))
        t += 1.2
    return Piece("chorale", tuple(notes))


def alberti_melody() -> Piece:
    """Alberti bass in the left hand under a slower right-hand melody."""
    notes: list[ScoreNote] = []
    melody = (72, 74, 76, 77, 79, 77, 76, 74, 72, 71, 72, 74, 76, 74, 72, 67)
    eighth_s = 0.18
    t0 = 0.5
    for bar, root in enumerate(_PROGRESSION):
        triad = _triad(root - 12, root == 57)
        pattern = (triad[0], triad[2], triad[1], triad[2]) * 2
        for k, p in enumerate(pattern):
            t = t0 + (bar * 8 + k) * eighth_s
            notes.append(ScoreNote(t, t + eighth_s * 0.95, p, 55))
        for half in range(2):
            t = t0 + (bar * 8 + half * 4) * eighth_s
            notes.append(ScoreNote(t, t + 4 * eighth_s * 0.95, melody[bar * 2 + half], 90))
    return Piece("alberti_melody", tuple(notes))


def seeded_polyphony(seed: int = 7) -> Piece:
    """Random but reproducible two-hand texture with varied durations and dynamics."""
    rng = random.Random(seed)
    notes: list[ScoreNote] = []
    t = 0.5
    while t < 11.5:
        dur = rng.choice((0.15, 0.3, 0.45, 0.6))
        right = 60 + rng.choice(_MAJOR_SCALE_STEPS) + 12 * rng.randint(0, 1)
        notes.append(ScoreNote(t, t + dur * 0.95, right, rng.randint(50, 110)))
        if rng.random() < 0.45:
            left = 36 + rng.choice(_MAJOR_SCALE_STEPS) + 12 * rng.randint(0, 1)
            notes.append(ScoreNote(t, t + 2 * dur, left, rng.randint(45, 95)))
        t += dur
    return Piece("seeded_polyphony", tuple(notes))


ALL_PIECES: tuple[Callable[[], Piece], ...] = (
    scales_and_arpeggios,
    chorale,
    alberti_melody,
    seeded_polyphony,
)


def evaluation_set() -> list[Piece]:
    """Return every piece of the evaluation set."""
    return [make() for make in ALL_PIECES]
