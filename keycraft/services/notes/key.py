"""The key of a piece: the 24 major and minor keys, their names, and an estimate from notes."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from keycraft.services.domain import Note

Mode = Literal["major", "minor"]

PITCH_CLASSES = 12
# How each key's tonic is written: the spelling with fewer accidentals, and for the two
# six-accidental keys the one more often written (F♯ major, E♭ minor).
_MAJOR_TONICS = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_MINOR_TONICS = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")
_GLYPHS = {"#": "♯", "b": "♭"}


@dataclass(frozen=True, slots=True)
class MusicalKey:
    """One of the 24 keys: a tonic pitch class (0 = C) and a mode."""

    tonic_pc: int
    mode: Mode

    @property
    def key_id(self) -> str:
        """The stored ASCII name, e.g. ``"F# major"``, ``"Bb minor"``."""
        tonics = _MAJOR_TONICS if self.mode == "major" else _MINOR_TONICS
        return f"{tonics[self.tonic_pc]} {self.mode}"

    @property
    def name(self) -> str:
        """The name a learner reads, e.g. ``"F♯ major"``, ``"B♭ minor"``."""
        tonic, mode = self.key_id.split(" ")
        return f"{tonic[0]}{''.join(_GLYPHS[c] for c in tonic[1:])} {mode}"


C_MAJOR = MusicalKey(0, "major")
"""The key assumed for a piece with no notes."""
ALL_KEYS: tuple[MusicalKey, ...] = tuple(
    MusicalKey(pc, mode) for mode in ("major", "minor") for pc in range(PITCH_CLASSES)
)
"""The 24 keys, majors then minors, each from C upwards."""
_BY_NAME = {k.key_id.lower(): k for k in ALL_KEYS} | {k.name.lower(): k for k in ALL_KEYS}


def parse_key(text: str | None) -> MusicalKey | None:
    """The key named by ``text`` (stored id or display name), or None for anything else."""
    if not text:
        return None
    return _BY_NAME.get(" ".join(text.split()).lower())


@dataclass(frozen=True, slots=True)
class KeyProfile:
    """Published weights of the twelve pitch classes above a major and a minor tonic."""

    name: str
    major: tuple[float, ...]
    minor: tuple[float, ...]


KRUMHANSL_KESSLER = KeyProfile(
    "Krumhansl-Kessler",
    (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88),
    (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17),
)
"""Probe-tone ratings (Krumhansl & Kessler 1982)."""
TEMPERLEY = KeyProfile(
    "Temperley",
    (0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057, 0.400),
    (0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133, 0.330),
)
"""Pitch-class frequencies in the Kostka-Payne textbook corpus (Temperley 2007)."""
ALBRECHT_SHANAHAN = KeyProfile(
    "Albrecht-Shanahan",
    (0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008, 0.081),
    (0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052),
)
"""Duration-weighted pitch-class distributions of 490 common-practice pieces (2013)."""
PROFILES: tuple[KeyProfile, ...] = (KRUMHANSL_KESSLER, TEMPERLEY, ALBRECHT_SHANAHAN)
DEFAULT_PROFILE = KRUMHANSL_KESSLER
"""The profile the editor uses. On the 22 benchmark pieces (``bench/key_bench.py``) it and
Temperley's name 21 keys right, Albrecht-Shanahan's 20; its one miss is the relative minor,
which spells notes alike, where Temperley's names a key with another signature."""


@dataclass(frozen=True, slots=True)
class KeyEstimate:
    """The best-fitting key, how well it fits (Pearson r, -1 to 1) and the runner-up."""

    key: MusicalKey
    correlation: float
    runner_up: MusicalKey
    runner_up_correlation: float


def pitch_class_weights(
    notes: Iterable[tuple[int, float, int]],
) -> tuple[float, ...]:
    """How much each pitch class sounds: duration times velocity, summed per class.

    Args:
        notes: ``(pitch_midi, duration, velocity)`` triples; the duration in any one unit
            (ticks or seconds), as only the proportions matter.
    """
    weights = [0.0] * PITCH_CLASSES
    for pitch_midi, duration, velocity in notes:
        weights[pitch_midi % PITCH_CLASSES] += note_weight(duration, velocity)
    return tuple(weights)


def note_weight(duration: float, velocity: int) -> float:
    """What one note adds to its pitch class's weight: duration times velocity (0 if silent)."""
    return duration * velocity if duration > 0 and velocity > 0 else 0


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    spread = math.sqrt(sum(d * d for d in dx) * sum(d * d for d in dy))
    return sum(a * b for a, b in zip(dx, dy, strict=True)) / spread if spread else 0.0


def key_correlations(
    weights: Sequence[float], profile: KeyProfile = DEFAULT_PROFILE
) -> dict[MusicalKey, float]:
    """The correlation of ``weights`` with ``profile`` rotated onto each of the 24 keys."""
    result: dict[MusicalKey, float] = {}
    for key in ALL_KEYS:
        template = profile.major if key.mode == "major" else profile.minor
        rotated = [template[(pc - key.tonic_pc) % PITCH_CLASSES] for pc in range(PITCH_CLASSES)]
        result[key] = _pearson(weights, rotated)
    return result


def estimate_key_from_weights(
    weights: Sequence[float], profile: KeyProfile = DEFAULT_PROFILE
) -> KeyEstimate | None:
    """The key whose profile best matches ``weights``; None when nothing sounds."""
    if not any(w > 0 for w in weights):
        return None
    ranked = sorted(
        key_correlations(weights, profile).items(),
        # Ties go to the earlier key in ALL_KEYS (majors first), so the result is stable.
        key=lambda item: (-item[1], ALL_KEYS.index(item[0])),
    )
    (best, r), (second, r2) = ranked[0], ranked[1]
    return KeyEstimate(best, r, second, r2)


def estimate_key(
    notes: Iterable[Note], profile: KeyProfile = DEFAULT_PROFILE
) -> KeyEstimate | None:
    """Estimate the key of a project's notes; None for a project with no notes."""
    weights = pitch_class_weights((n.pitch_midi, n.duration_ticks, n.velocity) for n in notes)
    return estimate_key_from_weights(weights, profile)
