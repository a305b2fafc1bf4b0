"""Key estimation and key names: the 24 keys, parsing, and estimates from notes."""

import pytest

from keycraft.services.domain import Note
from keycraft.services.notes.key import (
    ALL_KEYS,
    C_MAJOR,
    PROFILES,
    KeyProfile,
    MusicalKey,
    estimate_key,
    estimate_key_from_weights,
    key_correlations,
    parse_key,
    pitch_class_weights,
)

MAJOR_STEPS = (0, 2, 4, 5, 7, 9, 11)
HARMONIC_MINOR_STEPS = (0, 2, 3, 5, 7, 8, 11)


def _scale_piece(tonic_midi: int, steps: tuple[int, ...]) -> list[Note]:
    """A scale with its tonic triad held below, as a cadence leans on it."""
    notes = [Note(i * 240, 240, tonic_midi + step, 80) for i, step in enumerate(steps)]
    triad = (0, steps[2], 7)
    notes += [Note(0, 240 * 8, tonic_midi - 12 + s, 70) for s in triad]
    return notes


def test_there_are_24_keys_with_distinct_names() -> None:
    assert len(ALL_KEYS) == 24
    assert len({k.name for k in ALL_KEYS}) == 24
    assert len({k.key_id for k in ALL_KEYS}) == 24


@pytest.mark.parametrize(
    ("key", "key_id", "name"),
    [
        (MusicalKey(2, "major"), "D major", "D major"),
        (MusicalKey(1, "major"), "Db major", "D♭ major"),
        (MusicalKey(6, "major"), "F# major", "F♯ major"),
        (MusicalKey(1, "minor"), "C# minor", "C♯ minor"),
        (MusicalKey(3, "minor"), "Eb minor", "E♭ minor"),
        (MusicalKey(10, "minor"), "Bb minor", "B♭ minor"),
    ],
)
def test_keys_are_named_with_their_usual_tonic(key: MusicalKey, key_id: str, name: str) -> None:
    assert (key.key_id, key.name) == (key_id, name)
    assert parse_key(key_id) == key
    assert parse_key(name) == key


@pytest.mark.parametrize("text", [None, "", "estimated", "H major", "D dorian", "D"])
def test_anything_but_a_key_name_parses_to_none(text: str | None) -> None:
    assert parse_key(text) is None


def test_parsing_ignores_case_and_spacing() -> None:
    assert parse_key("  f#   MINOR ") == MusicalKey(6, "minor")


def test_weights_are_duration_times_velocity_per_pitch_class() -> None:
    weights = pitch_class_weights([(60, 2.0, 100), (72, 1.0, 50), (61, 0.0, 90), (62, 1.0, 0)])
    assert weights[0] == 250.0
    assert weights[1] == weights[2] == 0.0


@pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
@pytest.mark.parametrize("tonic_pc", range(12))
def test_every_profile_finds_major_and_minor_scales_in_every_key(
    profile: KeyProfile, tonic_pc: int
) -> None:
    major = estimate_key(_scale_piece(60 + tonic_pc, MAJOR_STEPS), profile)
    minor = estimate_key(_scale_piece(60 + tonic_pc, HARMONIC_MINOR_STEPS), profile)
    assert major is not None and major.key == MusicalKey(tonic_pc, "major")
    assert minor is not None and minor.key == MusicalKey(tonic_pc, "minor")
    assert major.correlation > major.runner_up_correlation


def test_long_loud_notes_outweigh_short_quiet_ones() -> None:
    # A held, loud G major triad with a few quick quiet notes from C minor around it.
    held = [Note(0, 3840, p, 110) for p in (55, 59, 62, 67)]
    passing = [Note(i * 60, 60, p, 20) for i, p in enumerate((60, 63, 65, 68))]
    estimate = estimate_key(held + passing)
    assert estimate is not None and estimate.key == MusicalKey(7, "major")


def test_no_notes_has_no_estimate() -> None:
    assert estimate_key([]) is None
    assert estimate_key_from_weights([0.0] * 12) is None


def test_correlations_cover_every_key_and_are_transposition_invariant() -> None:
    weights = pitch_class_weights(
        (n.pitch_midi, n.duration_ticks, n.velocity) for n in _scale_piece(60, MAJOR_STEPS)
    )
    up_a_tone = weights[-2:] + weights[:-2]
    here, there = key_correlations(weights), key_correlations(up_a_tone)
    assert set(here) == set(ALL_KEYS)
    assert here[C_MAJOR] == pytest.approx(there[MusicalKey(2, "major")])
