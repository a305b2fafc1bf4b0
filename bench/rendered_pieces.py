"""Pieces the job benches render: two hands on the C major scale, and notes held over seams.

The jobs bench gives each user its own seed; the long-job and seam benches hold a note
across every seam of a chunk plan, to see that the stitching keeps it once.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from keycraft.services.jobs.chunks import ChunkSpan
from transcriber.evaluation.pieces import Piece, ScoreNote

RENDER_TAIL_S = 2.5
"""The renderer keeps the last notes' decay, about this long after the last release."""
HELD_PITCHES = (37, 42, 44, 49)
"""Held notes are off the C major scale the rest keeps to, so no other note of their pitch
is near them."""
_SCALE = (0, 2, 4, 5, 7, 9, 11)


def two_hands(seed: int, length_s: float) -> Piece:
    """A reproducible two-hand piece that renders to about ``length_s``; seeds differ."""
    rng = random.Random(seed)
    notes: list[ScoreNote] = []
    t = 0.3
    while t < length_s - RENDER_TAIL_S - 1.0:
        step_s = rng.choice((0.2, 0.25, 0.4, 0.5))
        pitch = 60 + rng.choice(_SCALE) + 12 * rng.randint(0, 1)
        notes.append(ScoreNote(t, t + step_s * 0.9, pitch, rng.randint(55, 110)))
        if rng.random() < 0.35:
            bass = 36 + rng.choice(_SCALE) + 12 * rng.randint(0, 1)
            notes.append(ScoreNote(t, min(t + 3 * step_s, length_s - RENDER_TAIL_S), bass, 70))
        t += step_s
    return Piece(f"take-{seed}", tuple(notes))


def seam_middles(spans: Sequence[ChunkSpan]) -> list[float]:
    """The middle of the audio each pair of neighbouring chunks shares."""
    return [(b.start_s + a.end_s) / 2 for a, b in zip(spans, spans[1:], strict=False)]


def near_seam(start_s: float, middles: Sequence[float], within_s: float) -> bool:
    """Whether ``start_s`` falls within ``within_s`` of a seam's middle."""
    return any(abs(start_s - m) <= within_s for m in middles)


def with_held_notes(
    piece: Piece, middles: Sequence[float], held_s: float
) -> tuple[Piece, tuple[ScoreNote, ...]]:
    """``piece`` with a note held ``held_s`` centred on each seam, and those notes.

    Both chunks of a seam hear the note begin, and the cut falls while it sounds.
    """
    held = tuple(
        ScoreNote(m - held_s / 2, m + held_s / 2, pitch, 100)
        for m, pitch in zip(middles, HELD_PITCHES * len(middles), strict=False)
    )
    every = tuple(sorted((*piece.notes, *held), key=lambda n: (n.start_s, n.pitch_midi)))
    return Piece(piece.name, every), held
