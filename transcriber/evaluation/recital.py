"""Short piano pieces written like a pianist's repertoire: runs, repeated notes, ornaments.

Each piece is 10-20 s, in 3/4 or 4/4, and exercises something transcription gets wrong:
sixteenth runs and trills (notes of 40-130 ms), repeated notes on one key, staccato chords,
grace notes, slow legato chords, wide left-hand arpeggios.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from transcriber.evaluation.pieces import Piece, ScoreNote

LEAD_IN_S = 0.5


@dataclass(frozen=True)
class TempoCurve:
    """A tempo that changes over a score: beats per minute at chosen beats, linear between.

    Before the first point and after the last the tempo holds. A ritardando from 120 to 80
    over bars 5-8 of a 3/4 piece is ``TempoCurve(((12, 120), (24, 80)))``.
    """

    points: tuple[tuple[float, float], ...]

    def bpm_at(self, beat: float) -> float:
        """The tempo at ``beat``."""
        return float(np.interp(beat, self._beats, self._bpms))

    def seconds_to(self, beat: float) -> float:
        """Seconds from beat 0 to ``beat`` (negative before it), the tempo integrated."""
        if len(self.points) == 1:
            return beat * 60.0 / self.points[0][1]
        steps = max(2, int(abs(beat) * _STEPS_PER_BEAT) + 1)
        grid = np.linspace(0.0, beat, steps)
        seconds_per_beat = 60.0 / np.interp(grid, self._beats, self._bpms)
        return float(np.trapezoid(seconds_per_beat, grid))

    @property
    def _beats(self) -> np.ndarray:
        return np.array([beat for beat, _ in self.points], dtype=np.float64)

    @property
    def _bpms(self) -> np.ndarray:
        return np.array([bpm for _, bpm in self.points], dtype=np.float64)


_STEPS_PER_BEAT = 64


class ScoreBuilder:
    """Collects notes placed in beats; velocities get a seeded human spread.

    The tempo is ``bpm`` throughout, or follows ``tempo`` (a ritardando, an accelerando,
    rubato) when given.
    """

    def __init__(self, name: str, bpm: float, seed: int, tempo: TempoCurve | None = None) -> None:
        self.name = name
        self.beat_s = 60.0 / bpm
        self.tempo = tempo or TempoCurve(((0.0, bpm),))
        self.notes: list[ScoreNote] = []
        self._rng = random.Random(seed)

    def at(self, beat: float) -> float:
        """Seconds of a beat in the recording."""
        return LEAD_IN_S + self.tempo.seconds_to(beat)

    def add(self, beat: float, beats: float, pitch: int, velocity: int, held: float = 0.9) -> None:
        """A note at `beat` lasting `beats`, sounding for `held` of that (legato 0.9)."""
        v = self.human_velocity(velocity)
        self.notes.append(ScoreNote(self.at(beat), self.at(beat + beats * held), pitch, v))

    def human_velocity(self, velocity: int) -> int:
        """``velocity`` with a seeded spread of ±6, as a player's touch varies."""
        return max(1, min(127, velocity + self._rng.randint(-6, 6)))

    def chord(
        self, beat: float, beats: float, pitches: Sequence[int], velocity: int, held: float = 0.9
    ) -> None:
        """Several keys struck together."""
        for p in pitches:
            self.add(beat, beats, p, velocity, held)

    def piece(self) -> Piece:
        """The finished piece, notes in time order."""
        return Piece(self.name, tuple(sorted(self.notes, key=lambda n: (n.start_s, n.pitch_midi))))


_D_MAJOR = (62, 64, 66, 67, 69, 71, 73)
_C_MAJOR = (60, 62, 64, 65, 67, 69, 71)


def _scale(steps: Sequence[int], degree: int) -> int:
    return steps[degree % 7] + 12 * (degree // 7)


def sixteenth_runs() -> Piece:
    """4/4 at 112 bpm: right-hand D major runs in sixteenths (~120 ms notes) over bass chords."""
    s = ScoreBuilder("sixteenth_runs", 112, seed=1)
    degrees = list(range(0, 15)) + list(range(13, -1, -1)) + list(range(2, 17)) + [16]
    for i, d in enumerate((degrees * 2)[:80]):
        s.add(i * 0.25, 0.25, _scale(_D_MAJOR, d), 78)
    for bar, chord in enumerate(((38, 50, 57), (43, 55, 59), (45, 52, 57), (38, 50, 54), (43, 50))):
        for beat in (0, 2):
            s.chord(bar * 4 + beat, 2, chord, 62, held=0.85)
    return s.piece()


def repeated_notes() -> Piece:
    """4/4 at 100 bpm: a toccata of repeated staccato sixteenths on one key per beat."""
    s = ScoreBuilder("repeated_notes", 100, seed=2)
    keys = (72, 72, 74, 76, 77, 76, 74, 72, 71, 71, 72, 74, 76, 79, 77, 76, 74, 72, 71, 72)
    for beat, key in enumerate(keys):
        for k in range(4):
            s.add(beat + k * 0.25, 0.25, key, 84 if k == 0 else 70, held=0.5)
    for bar, bass in enumerate((48, 43, 45, 41, 48)):
        s.chord(bar * 4, 4, (bass, bass + 12), 66, held=0.95)
    return s.piece()


def waltz() -> Piece:
    """3/4 at 150 bpm: bass note and two after-beat chords, melody with eighth pickups."""
    s = ScoreBuilder("waltz", 150, seed=3)
    harmony = (
        (43, (59, 62, 67)),
        (43, (59, 62, 67)),
        (38, (60, 62, 66)),
        (38, (60, 62, 66)),
        (40, (59, 64, 67)),
        (45, (60, 64, 69)),
        (38, (60, 62, 66)),
        (43, (59, 62, 67)),
    )
    melody = (
        (0, 2, 74),
        (2, 0.5, 76),
        (2.5, 0.5, 74),
        (3, 3, 79),
        (6, 2, 72),
        (8, 1, 74),
        (9, 2, 76),
        (11, 0.5, 78),
        (11.5, 0.5, 76),
        (12, 3, 74),
        (15, 1, 72),
        (16, 1, 72),
        (17, 1, 71),
        (18, 2, 78),
        (20, 1, 76),
        (21, 3, 79),
    )
    for bar, (bass, chord) in enumerate(harmony):
        s.add(bar * 3, 1, bass, 70, held=0.85)
        s.chord(bar * 3 + 1, 1, chord, 52, held=0.5)
        s.chord(bar * 3 + 2, 1, chord, 50, held=0.5)
    for beat, beats, key in melody:
        s.add(beat, beats, key, 88)
    return s.piece()


def slow_chorale() -> Piece:
    """4/4 at 60 bpm: soft four-part half-note chords, played legato."""
    s = ScoreBuilder("slow_chorale", 60, seed=4)
    chords = (
        (48, 64, 67, 72),
        (45, 64, 69, 72),
        (41, 65, 69, 72),
        (43, 62, 67, 71),
        (40, 64, 67, 72),
        (41, 65, 69, 74),
        (43, 62, 67, 71),
        (36, 64, 67, 72),
    )
    for i, chord in enumerate(chords):
        s.chord(i * 2, 2, chord[:3], 46, held=0.97)
        s.add(i * 2, 2, chord[3], 60, held=0.97)
    return s.piece()


def staccato_chords() -> Piece:
    """4/4 at 120 bpm: short detached eighth-note chords (~90 ms) and off-beat accents."""
    s = ScoreBuilder("staccato_chords", 120, seed=5)
    progression = (
        (60, 64, 67),
        (60, 65, 69),
        (59, 62, 67),
        (60, 64, 67),
        (57, 60, 64),
        (57, 62, 65),
        (59, 62, 67),
        (60, 64, 72),
    )
    for half_bar, chord in enumerate(progression + progression[:4]):
        for k in range(4):
            loud = 96 if k == 3 else 72
            s.chord(half_bar * 2 + k * 0.5, 0.5, chord, loud, held=0.36)
        s.add(half_bar * 2, 1, chord[0] - 24, 70, held=0.3)
        s.add(half_bar * 2 + 1, 1, chord[0] - 12, 66, held=0.3)
    return s.piece()


def trills_and_grace_notes() -> Piece:
    """4/4 at 80 bpm: a melody with thirty-second trills (~85 ms) and 40 ms grace notes."""
    s = ScoreBuilder("trills_and_grace_notes", 80, seed=6)
    grace_beats = 0.04 / s.beat_s
    beat = 0.0
    for main, upper, beats, ornament in (
        (72, 74, 2, "trill"),
        (76, 77, 1, "grace"),
        (74, 76, 1, "grace"),
        (72, 74, 2, "trill"),
        (79, 81, 1, "grace"),
        (77, 79, 1, "mordent"),
        (76, 77, 2, "trill"),
        (72, 74, 2, "grace"),
    ):
        if ornament == "trill":
            for k in range(int(beats * 8)):
                s.add(beat + k / 8, 1 / 8, main if k % 2 == 0 else upper, 74, held=0.9)
        elif ornament == "mordent":
            for k, key in enumerate((main, upper, main)):
                s.add(beat + k / 8, 1 / 8 if k < 2 else beats - 0.25, key, 80)
        else:
            s.add(beat - grace_beats, grace_beats, upper, 70, held=1.0)
            s.add(beat, beats, main, 82)
        beat += beats
    for bar, chord in enumerate(((48, 55, 64), (43, 55, 62), (48, 57, 64), (41, 53, 60))):
        for half in range(2):
            s.chord(bar * 4 + half * 2, 2, chord, 50, held=0.95)
    return s.piece()


def nocturne() -> Piece:
    """3/4 at 66 bpm: wide left-hand arpeggios, a singing melody and one fast sextuplet run."""
    s = ScoreBuilder("nocturne", 66, seed=7)
    arpeggios = (
        (36, 43, 52, 55, 60, 64),
        (41, 48, 57, 60, 65, 69),
        (43, 50, 59, 62, 67, 71),
        (36, 43, 52, 55, 60, 64),
        (45, 52, 60, 64, 69, 72),
        (43, 50, 55, 59, 62, 65),
    )
    for bar, arp in enumerate(arpeggios):
        for k, key in enumerate(arp):
            # The pedal holds each bass note on; later notes of the figure sound to the bar end.
            s.add(bar * 3 + k * 0.5, 3 - k * 0.5, key, 48, held=0.95)
    melody = (
        (0, 2, 76),
        (2, 1, 79),
        (3, 3, 77),
        (6, 1.5, 74),
        (7.5, 0.5, 76),
        (8, 1, 77),
        (9, 2, 79),
        (12, 3, 81),
    )
    for beat, beats, key in melody:
        s.add(beat, beats, key, 84)
    for k, key in enumerate((84, 83, 81, 79, 77, 76, 74, 72, 71, 72, 74, 76)):
        s.add(11 + k / 6, 1 / 6, key, 72, held=0.85)  # a run of twelve notes in the last beat
    s.add(15, 3, 72, 80)
    return s.piece()


def alberti_sonatina() -> Piece:
    """4/4 at 132 bpm: Alberti eighths under a melody with sixteenth turns (~100 ms)."""
    s = ScoreBuilder("alberti_sonatina", 132, seed=8)
    for bar, (root, third, fifth) in enumerate(
        ((48, 52, 55), (48, 53, 57), (47, 50, 55), (48, 52, 55), (45, 48, 52), (47, 50, 55))
    ):
        for k, key in enumerate((root, fifth, third, fifth) * 2):
            s.add(bar * 4 + k * 0.5, 0.5, key, 50, held=0.85)
    line = (
        (0, 1, 72),
        (1, 1, 76),
        (2, 0.25, 79),
        (2.25, 0.25, 77),
        (2.5, 0.25, 76),
        (2.75, 0.25, 74),
        (3, 1, 72),
        (4, 2, 77),
        (6, 1, 76),
        (7, 1, 74),
        (8, 0.25, 74),
        (8.25, 0.25, 76),
        (8.5, 0.25, 74),
        (8.75, 0.25, 72),
        (9, 1, 71),
        (10, 1, 74),
        (11, 1, 79),
        (12, 2, 76),
        (14, 0.5, 72),
        (14.5, 0.5, 74),
        (15, 1, 76),
        (16, 0.25, 72),
        (16.25, 0.25, 74),
        (16.5, 0.25, 72),
        (16.75, 0.25, 71),
        (17, 1, 69),
        (18, 1, 72),
        (19, 1, 76),
        (20, 4, 74),
    )
    for beat, beats, key in line:
        s.add(beat, beats, key, 86)
    return s.piece()


RECITAL: tuple[Callable[[], Piece], ...] = (
    sixteenth_runs,
    repeated_notes,
    waltz,
    slow_chorale,
    staccato_chords,
    trills_and_grace_notes,
    nocturne,
    alberti_sonatina,
)


def recital_set() -> list[Piece]:
    """Every piece of the recital set, in a fixed order."""
    return [make() for make in RECITAL]
