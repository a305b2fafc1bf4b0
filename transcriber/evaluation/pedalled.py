"""Pieces played with the sustain pedal, as a pianist pedals them, to score pedal transcription.

Keys are let go early (the pedal holds the sound), and the pedal is changed "legato": it lifts
just after the new harmony is struck and goes down again a moment later, so the old
harmony does not blur into the new one. Each piece is 14-19 s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from transcriber.evaluation.pieces import Piece, ScoreNote, ScorePedal
from transcriber.evaluation.recital import ScoreBuilder

LIFT_AFTER_S = 0.04
"""The pedal lifts this long after the new harmony is struck."""
DOWN_AFTER_S = 0.18
"""...and goes down again this long after it."""
LAST_RING_S = 1.2
"""The final pedal is held this long past the last bar."""


class _Pedalled(ScoreBuilder):
    """A score with the sustain pedal: keys are placed in beats and let go after ``beats``."""

    def __init__(self, name: str, bpm: float, seed: int) -> None:
        super().__init__(name, bpm, seed)
        self.pedals: list[ScorePedal] = []

    def key(self, beat: float, beats: float, pitch: int, velocity: int) -> None:
        """A key struck at ``beat`` and let go ``beats`` later (the pedal may hold it on)."""
        v = self.human_velocity(velocity)
        self.notes.append(ScoreNote(self.at(beat), self.at(beat + beats), pitch, v))

    def keys(self, beat: float, beats: float, pitches: Sequence[int], velocity: int) -> None:
        """Several keys struck together and let go together."""
        for pitch in pitches:
            self.key(beat, beats, pitch, velocity)

    def pedal_changes(self, beats: Sequence[float], end_beat: float) -> None:
        """Pedal down just after the first beat, changed legato at each later one."""
        for first, then in zip(beats, [*beats[1:], None], strict=True):
            start_s = self.at(first) + (DOWN_AFTER_S if first else 0.05)
            end_s = self.at(then) + LIFT_AFTER_S if then is not None else self.at(end_beat)
            self.pedals.append(ScorePedal(start_s, end_s))

    def pedal_direct(self, beats: Sequence[float], held_beats: float) -> None:
        """Rhythmic pedalling: down with each beat listed, up ``held_beats`` later."""
        for beat in beats:
            self.pedals.append(ScorePedal(self.at(beat) + 0.02, self.at(beat + held_beats)))

    def piece(self) -> Piece:
        """The finished piece, notes in time order, with its pedal."""
        return replace(super().piece(), pedals=tuple(self.pedals))


def pedalled_arpeggios() -> Piece:
    """3/4 at 72 bpm: left-hand arpeggios let go at once, one pedal per bar, a melody above."""
    s = _Pedalled("pedalled_arpeggios", 72, seed=21)
    harmonies = (
        (36, 43, 52, 55, 60, 64),
        (41, 48, 57, 60, 65, 69),
        (43, 50, 59, 62, 67, 71),
        (45, 52, 60, 64, 69, 72),
        (38, 45, 53, 57, 62, 65),
        (43, 50, 55, 59, 62, 65),
        (36, 43, 52, 55, 60, 64),
    )
    for bar, arp in enumerate(harmonies):
        for k, key in enumerate(arp):
            s.key(bar * 3 + k * 0.5, 0.4, key, 52)
    for beat, beats, key in ((0, 2, 76), (3, 3, 77), (6, 2, 74), (9, 3, 76), (12, 2, 74)):
        s.key(beat, beats * 0.9, key, 84)
    s.key(15, 2.5, 71, 80)
    s.key(18, 2.5, 72, 80)
    bars = len(harmonies)
    s.pedal_changes([bar * 3 for bar in range(bars)], bars * 3 + LAST_RING_S / s.beat_s)
    return s.piece()


def pedalled_chorale() -> Piece:
    """4/4 at 60 bpm: detached four-part chords joined by the pedal, changed at every chord."""
    s = _Pedalled("pedalled_chorale", 60, seed=22)
    chords = (
        (48, 55, 64, 72),
        (45, 57, 64, 72),
        (41, 57, 65, 69),
        (43, 55, 62, 71),
        (48, 55, 64, 72),
        (41, 53, 60, 69),
        (43, 50, 59, 67),
        (36, 48, 55, 64),
    )
    beats = []
    for i, chord in enumerate(chords):
        beat = i * 1.5
        s.keys(beat, 0.6, chord, 66)
        beats.append(beat)
    s.pedal_changes(beats, len(chords) * 1.5 + LAST_RING_S / s.beat_s)
    return s.piece()


def pedalled_waltz() -> Piece:
    """3/4 at 100 bpm: bass on one held by the pedal, short chords on two and three.

    The pedal is changed each bar, except for two bars played dry in the middle.
    """
    s = _Pedalled("pedalled_waltz", 100, seed=23)
    bars = ((36, (52, 55, 60)), (43, (50, 55, 59)), (41, (53, 57, 60)), (43, (50, 53, 59)))
    tune = (76, 79, 77, 74, 72, 76, 74, 72)
    for bar in range(8):
        bass, chord = bars[bar % 4]
        s.key(bar * 3, 0.5, bass, 70)
        s.keys(bar * 3 + 1, 0.4, chord, 50)
        s.keys(bar * 3 + 2, 0.4, chord, 48)
        s.key(bar * 3, 2.7, tune[bar], 82)
    s.pedal_changes([0, 3, 6], 9)
    s.pedal_changes([15, 18, 21], 24 + LAST_RING_S / s.beat_s)
    return s.piece()


def pedalled_nocturne() -> Piece:
    """4/4 at 66 bpm: a broken-chord left hand under a cantabile tune, pedal every half bar."""
    s = _Pedalled("pedalled_nocturne", 66, seed=24)
    harmonies = ((33, 45, 52, 57), (38, 50, 57, 62), (40, 52, 56, 62), (33, 45, 52, 57))
    tune = (76, 74, 72, 71, 72, 74, 76, 81)
    for half in range(8):
        low, *rest = harmonies[(half // 2) % 4]
        beat = half * 2
        s.key(beat, 0.45, low, 60)
        for k, key in enumerate(rest):
            s.key(beat + 0.5 * (k + 1), 0.4, key, 46)
        s.key(beat, 1.8, tune[half], 78)
    s.pedal_changes([half * 2 for half in range(8)], 16 + LAST_RING_S / s.beat_s)
    return s.piece()


def pedalled_march() -> Piece:
    """3/4 at 84 bpm: rhythmic pedalling, down with each chord and up before the next."""
    s = _Pedalled("pedalled_march", 84, seed=25)
    chords = ((43, 55, 59, 62), (48, 55, 60, 64), (45, 57, 60, 64), (50, 57, 62, 66))
    for bar in range(6):
        chord = chords[bar % 4]
        s.keys(bar * 3, 0.8, chord, 74)
        s.keys(bar * 3 + 1.5, 0.4, chord[1:], 58)
    s.pedal_direct([bar * 3 for bar in range(6)], 2.6)
    return s.piece()


def pedalled_hymn() -> Piece:
    """2/4 at 56 bpm: a low chord on each bar, a soft inner chord on two, pedal changed per bar."""
    s = _Pedalled("pedalled_hymn", 56, seed=26)
    bars = (
        ((38, 50, 57, 62), (57, 62, 66)),
        ((43, 50, 59, 67), (55, 59, 62)),
        ((40, 52, 59, 67), (55, 59, 64)),
        ((45, 52, 57, 61), (57, 61, 64)),
        ((38, 50, 54, 62), (57, 62, 66)),
        ((47, 54, 62, 66), (59, 62, 66)),
        ((45, 52, 57, 64), (57, 61, 64)),
    )
    for bar, (low, inner) in enumerate(bars):
        s.keys(bar * 2, 0.7, low, 64)
        s.keys(bar * 2 + 1, 0.5, inner, 48)
    s.pedal_changes([bar * 2 for bar in range(len(bars))], len(bars) * 2 + LAST_RING_S / s.beat_s)
    return s.piece()


PEDALLED: tuple[Callable[[], Piece], ...] = (pedalled_arpeggios, pedalled_chorale, pedalled_waltz)
PEDALLED_TUNING: tuple[Callable[[], Piece], ...] = (
    pedalled_nocturne,
    pedalled_march,
    pedalled_hymn,
)
"""Pieces in other metres and pedalling styles for choosing decoding settings, so that the
pieces reported are not the pieces the settings were chosen on."""


def pedalled_set() -> list[Piece]:
    """Every pedalled piece, in a fixed order."""
    return [make() for make in PEDALLED]


def pedalled_tuning_set() -> list[Piece]:
    """The pieces decoding settings are chosen on, in a fixed order."""
    return [make() for make in PEDALLED_TUNING]
