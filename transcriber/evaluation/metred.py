"""Pieces with known beats, downbeats and metre, to score beat tracking.

Each piece is written on the recital's score builder, in 3/4 or 4/4, steady or with its
tempo changing as a player changes it (a ritardando at a cadence, an accelerando, rubato
within phrases), some opening with a pickup. Its beats are read off the score: one per beat
from the first note to the last onset, a downbeat at the start of every bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from transcriber.evaluation.pieces import Piece
from transcriber.evaluation.recital import ScoreBuilder, TempoCurve


@dataclass(frozen=True)
class MetredPiece:
    """A piece and the beats of its score.

    Attributes:
        piece: The notes to render.
        beats_per_bar: Beats in a bar (the time signature's numerator).
        beat_unit: The beat's note value (the denominator: 4 is a quarter).
        beats_s: Every beat's time in the recording, in order.
        downbeats_s: The beats that open a bar.
    """

    piece: Piece
    beats_per_bar: int
    beat_unit: int
    beats_s: tuple[float, ...]
    downbeats_s: tuple[float, ...]

    @property
    def name(self) -> str:
        """The piece's name."""
        return self.piece.name


def _metred(s: ScoreBuilder, beats_per_bar: int, pickup_beats: int = 0) -> MetredPiece:
    """The builder's piece with a beat at each whole beat from 0 to the last onset.

    Beat 0 is the first note; with ``pickup_beats`` the first bar opens that many beats later.
    """
    piece = s.piece()
    last_onset_s = max(n.start_s for n in piece.notes)
    beats: list[int] = []
    while s.at(len(beats)) <= last_onset_s + 1e-6:
        beats.append(len(beats))
    downbeats = [b for b in beats if b >= pickup_beats and (b - pickup_beats) % beats_per_bar == 0]
    return MetredPiece(
        piece,
        beats_per_bar,
        4,
        tuple(s.at(b) for b in beats),
        tuple(s.at(b) for b in downbeats),
    )


def _bars(
    s: ScoreBuilder, start_beat: float, lines: Sequence[tuple[float, float, int]], v: int
) -> None:
    """A line of (beat, beats, pitch) notes from ``start_beat`` at velocity ``v``."""
    for beat, beats, pitch in lines:
        s.add(start_beat + beat, beats, pitch, v)


def minuet_ritardando() -> MetredPiece:
    """3/4 at 126 bpm, a minuet in G of six bars, slowing to 84 bpm over its last two.

    The left hand holds a half note on one and plays a quarter on three; the right hand moves
    in quarters and eighths. Short (11 s), so the piano model hears it in one segment.
    """
    s = ScoreBuilder(
        "minuet_ritardando", 126, seed=31, tempo=TempoCurve(((9.0, 126.0), (15.0, 84.0)))
    )
    left = ((43, 47), (47, 50), (45, 48), (43, 47), (50, 54), (43, 43))  # one, three
    for bar, (bass, third) in enumerate(left):
        if bar == len(left) - 1:
            s.chord(bar * 3, 3, (bass, bass + 12), 66)
            continue
        s.add(bar * 3, 2, bass, 68)
        s.add(bar * 3 + 2, 1, third, 56)
    right = (
        (0, 1, 74), (1, 0.5, 67), (1.5, 0.5, 69), (2, 0.5, 71), (2.5, 0.5, 72),
        (3, 1, 74), (4, 1, 67), (5, 1, 67),
        (6, 1, 72), (7, 0.5, 74), (7.5, 0.5, 72), (8, 0.5, 71), (8.5, 0.5, 69),
        (9, 1, 71), (10, 0.5, 72), (10.5, 0.5, 71), (11, 0.5, 69), (11.5, 0.5, 67),
        (12, 1, 66), (13, 0.5, 67), (13.5, 0.5, 69), (14, 1, 71),
        (15, 3, 67),
    )  # fmt: skip
    _bars(s, 0, right, 84)
    return _metred(s, 3)


def march_with_pickup() -> MetredPiece:
    """4/4 at 108 bpm, steady: a one-beat pickup, then bass on one and three, chords between."""
    s = ScoreBuilder("march_with_pickup", 108, seed=32)
    s.add(0, 1, 67, 80)  # the pickup
    harmony = ((48, (64, 67)), (43, (62, 65)), (48, (64, 67)), (41, (65, 69)),
               (43, (62, 67)), (48, (64, 67)))  # fmt: skip
    for bar, (bass, chord) in enumerate(harmony):
        start = 1 + bar * 4
        s.chord(start, 1, (bass, bass + 12), 74, held=0.6)
        s.chord(start + 1, 1, chord, 54, held=0.5)
        s.add(start + 2, 1, bass + 7, 64, held=0.6)
        s.chord(start + 3, 1, chord, 54, held=0.5)
    tune = (
        (0, 1.5, 72), (1.5, 0.5, 72), (2, 1, 76), (3, 1, 79),
        (4, 1.5, 77), (5.5, 0.5, 76), (6, 1, 74), (7, 1, 71),
        (8, 1.5, 72), (9.5, 0.5, 74), (10, 1, 76), (11, 1, 72),
        (12, 2, 77), (14, 1, 81), (15, 1, 77),
        (16, 1.5, 79), (17.5, 0.5, 77), (18, 1, 76), (19, 1, 74),
        (20, 3, 72),
    )  # fmt: skip
    _bars(s, 1, tune, 86)
    return _metred(s, 4, pickup_beats=1)


def laendler_accelerando() -> MetredPiece:
    """3/4 from 112 to 150 bpm: a country dance that speeds up, bass on one, chords after."""
    s = ScoreBuilder(
        "laendler_accelerando", 112, seed=33, tempo=TempoCurve(((3.0, 112.0), (27.0, 150.0)))
    )
    harmony = ((41, (57, 60, 65)), (41, (57, 60, 65)), (36, (55, 60, 64)), (36, (55, 58, 64)),
               (41, (57, 60, 65)), (46, (58, 62, 65)), (36, (55, 60, 64)), (41, (57, 60, 65)),
               (41, (53, 57, 60)))  # fmt: skip
    for bar, (bass, chord) in enumerate(harmony):
        s.add(bar * 3, 1, bass, 72, held=0.8)
        if bar < len(harmony) - 1:
            s.chord(bar * 3 + 1, 1, chord, 50, held=0.5)
            s.chord(bar * 3 + 2, 1, chord, 48, held=0.5)
    tune = (
        (0, 2, 72), (2, 1, 69), (3, 1, 72), (4, 1, 77), (5, 1, 81),
        (6, 2, 79), (8, 1, 76), (9, 1.5, 72), (10.5, 0.5, 70), (11, 1, 67),
        (12, 1, 69), (13, 1, 72), (14, 1, 77), (15, 1, 74), (16, 1, 77), (17, 1, 82),
        (18, 2, 81), (20, 1, 79), (21, 1, 76), (22, 1, 79), (23, 1, 82),
        (24, 3, 77),
    )  # fmt: skip
    _bars(s, 0, tune, 84)
    return _metred(s, 3)


def song_rubato() -> MetredPiece:
    """4/4 around 84 bpm with rubato: each two-bar phrase presses on, then lingers; a final rit.

    Alberti eighths in the left hand under a singing melody.
    """
    rubato = TempoCurve(
        ((0.0, 80.0), (4.0, 90.0), (7.5, 72.0), (8.0, 80.0), (12.0, 92.0), (15.5, 70.0),
         (16.0, 82.0), (20.0, 86.0), (24.0, 62.0))
    )  # fmt: skip
    s = ScoreBuilder("song_rubato", 80, seed=34, tempo=rubato)
    for bar, (root, third, fifth) in enumerate(
        ((48, 52, 55), (45, 48, 52), (41, 45, 48), (43, 47, 50), (48, 52, 55), (43, 47, 50))
    ):
        for k, key in enumerate((root, fifth, third, fifth) * 2):
            s.add(bar * 4 + k * 0.5, 0.5, key, 66 if k == 0 else 48, held=0.85)
    s.add(24, 2, 36, 64)
    line = (
        (0, 2, 76), (2, 1, 79), (3, 1, 77),
        (4, 1.5, 76), (5.5, 0.5, 74), (6, 2, 72),
        (8, 2, 77), (10, 1, 76), (11, 1, 74),
        (12, 1.5, 74), (13.5, 0.5, 72), (14, 2, 71),
        (16, 2, 79), (18, 1, 77), (19, 1, 76),
        (20, 2, 74), (22, 2, 71),
        (24, 2, 72),
    )  # fmt: skip
    _bars(s, 0, line, 84)
    return _metred(s, 4)


def hymn_in_three() -> MetredPiece:
    """3/4 at 96 bpm, steady, opening with a one-beat pickup: a hymn tune over held chords."""
    s = ScoreBuilder("hymn_in_three", 96, seed=35)
    s.add(0, 1, 67, 78)
    chords = ((48, 55, 64), (48, 53, 65), (48, 55, 64), (43, 55, 62), (48, 55, 64),
              (45, 53, 60), (43, 50, 59), (36, 48, 55))  # fmt: skip
    for bar, chord in enumerate(chords):
        start = 1 + bar * 3
        s.add(start, 3, chord[0], 66, held=0.95)
        s.chord(start, 2, chord[1:], 52, held=0.95)
        s.chord(start + 2, 1, chord[1:], 46, held=0.9)
    tune = (
        (0, 2, 72), (2, 1, 76),
        (3, 2, 76), (5, 1, 74), (6, 2, 72), (8, 1, 76),
        (9, 2, 74), (11, 1, 72), (12, 2, 72), (14, 1, 69),
        (15, 2, 67), (17, 1, 71),
        (18, 2, 72), (20, 1, 74), (21, 3, 72),
    )  # fmt: skip
    _bars(s, 1, tune, 84)
    return _metred(s, 3, pickup_beats=1)


def chorale_ritardando() -> MetredPiece:
    """4/4 at 76 bpm: a four-part chorale, a chord on every beat, slowing to 54 at the cadence."""
    s = ScoreBuilder(
        "chorale_ritardando", 76, seed=36, tempo=TempoCurve(((16.0, 76.0), (23.0, 54.0)))
    )
    chords = (
        (48, 55, 64, 72), (48, 55, 64, 72), (45, 57, 64, 72), (41, 57, 65, 69),
        (43, 55, 62, 71), (43, 55, 62, 71), (48, 55, 64, 72), (48, 57, 64, 69),
        (41, 53, 60, 69), (41, 57, 65, 69), (43, 55, 62, 67), (43, 53, 59, 67),
        (40, 55, 64, 72), (45, 57, 64, 72), (38, 57, 65, 74), (43, 55, 62, 71),
        (48, 55, 64, 72), (45, 57, 64, 72), (41, 57, 65, 72), (41, 56, 65, 71),
        (43, 55, 62, 71), (43, 53, 62, 71), (36, 55, 64, 72),
    )  # fmt: skip
    for beat, chord in enumerate(chords):
        last = beat == len(chords) - 1
        accent = 8 if beat % 4 == 0 else (3 if beat % 4 == 2 else 0)
        s.chord(beat, 2 if last else 1, chord[:3], 52 + accent, held=0.95)
        s.add(beat, 2 if last else 1, chord[3], 64 + accent, held=0.95)
    return _metred(s, 4)


METRED: tuple[Callable[[], MetredPiece], ...] = (
    minuet_ritardando,
    march_with_pickup,
    laendler_accelerando,
    song_rubato,
    hymn_in_three,
    chorale_ritardando,
)


def metred_set() -> list[MetredPiece]:
    """Every piece with known beats, in a fixed order."""
    return [make() for make in METRED]
