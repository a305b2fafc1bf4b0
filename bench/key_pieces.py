"""Short scores in minor and flat keys for the key bench, which the evaluation sets lack.

The transcriber's evaluation pieces are in C, D and G major; these add the minor keys (with
their raised sixth and seventh) and flat keys, written with the recital's score builder.
"""

from __future__ import annotations

from transcriber.evaluation.pieces import Piece
from transcriber.evaluation.recital import ScoreBuilder


def a_minor_chorale() -> Piece:
    """4/4 at 72 bpm: i-iv-V-i-VI-iv-V7-i in four parts, G♯ the leading tone."""
    s = ScoreBuilder("a_minor_chorale", 72, seed=31)
    chords = (
        (45, 64, 69, 72),
        (50, 65, 69, 74),
        (40, 64, 68, 71),
        (45, 64, 69, 72),
        (41, 65, 69, 72),
        (38, 65, 69, 74),
        (40, 62, 68, 71),
        (45, 64, 69, 69),
    )
    for i, chord in enumerate(chords):
        s.chord(i * 2, 2, chord, 64, held=0.95)
    return s.piece()


def d_minor_scales() -> Piece:
    """4/4 at 96 bpm: D melodic minor up (B, C♯) and natural minor down, over i and V."""
    s = ScoreBuilder("d_minor_scales", 96, seed=32)
    up = (62, 64, 65, 67, 69, 71, 73, 74)
    down = (74, 72, 70, 69, 67, 65, 64, 62)
    for i, pitch in enumerate(up + down + up + down):
        s.add(i * 0.5, 0.5, pitch, 76)
    for bar, chord in enumerate(((38, 50, 53), (33, 45, 49), (38, 50, 53), (33, 45, 49))):
        s.chord(bar * 4, 4, chord, 60, held=0.95)
    return s.piece()


def e_minor_waltz() -> Piece:
    """3/4 at 138 bpm: bass and after-beat chords of Em-Am-B7-Em, a tune with D♯."""
    s = ScoreBuilder("e_minor_waltz", 138, seed=33)
    harmony = ((40, (55, 59, 64)), (45, (57, 60, 64)), (35, (54, 57, 63)), (40, (55, 59, 64)))
    tune = (71, 72, 71, 69, 67, 66, 63, 64)
    for bar in range(8):
        bass, chord = harmony[bar % 4]
        s.add(bar * 3, 1, bass, 70, held=0.85)
        s.chord(bar * 3 + 1, 1, chord, 50, held=0.5)
        s.chord(bar * 3 + 2, 1, chord, 48, held=0.5)
        s.add(bar * 3, 3, tune[bar], 86)
    return s.piece()


def c_minor_alberti() -> Piece:
    """4/4 at 120 bpm: Alberti eighths of Cm-Fm-G-Cm under a line with E♭, A♭ and B."""
    s = ScoreBuilder("c_minor_alberti", 120, seed=34)
    for bar, (root, third, fifth) in enumerate(
        ((48, 51, 55), (48, 53, 56), (47, 50, 55), (48, 51, 55))
    ):
        for k, key in enumerate((root, fifth, third, fifth) * 2):
            s.add(bar * 4 + k * 0.5, 0.5, key, 50, held=0.85)
    line = (72, 75, 74, 72, 68, 72, 77, 75, 74, 71, 74, 79, 75, 74, 72, 72)
    for i, pitch in enumerate(line):
        s.add(i, 1, pitch, 84)
    return s.piece()


def b_flat_major_hymn() -> Piece:
    """4/4 at 80 bpm: I-IV-V-I-vi-ii-V-I in B♭ major, four parts."""
    s = ScoreBuilder("b_flat_major_hymn", 80, seed=35)
    chords = (
        (46, 62, 65, 70),
        (51, 63, 67, 70),
        (53, 60, 65, 69),
        (46, 62, 65, 70),
        (43, 62, 67, 70),
        (48, 60, 67, 72),
        (41, 60, 65, 69),
        (46, 58, 62, 65),
    )
    for i, chord in enumerate(chords):
        s.chord(i * 2, 2, chord, 62, held=0.95)
    return s.piece()


def key_pieces() -> list[Piece]:
    """Every piece written for the key bench, in a fixed order."""
    return [
        a_minor_chorale(),
        d_minor_scales(),
        e_minor_waltz(),
        c_minor_alberti(),
        b_flat_major_hymn(),
    ]
