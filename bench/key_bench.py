"""Key-estimation benchmark: how often each key profile names the written key of a piece.

Run: ``.venv/bin/python -m bench.key_bench``. Reads the score notes of the transcriber's
evaluation pieces, of five short minor and flat-key scores (``bench/key_pieces.py``) and of
the landing page's minuet (its score and what the transcriber heard
from its recording, both already on disk: no model runs). Prints a table and writes
``bench/results/key.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bench.key_pieces import key_pieces
from keycraft.services.demo_piece import SCORE_MIDI_PATH, TRANSCRIPTION_MIDI_PATH, read_midi_notes
from keycraft.services.notes.key import (
    PROFILES,
    KeyProfile,
    MusicalKey,
    estimate_key_from_weights,
    parse_key,
    pitch_class_weights,
)
from transcriber.evaluation.pedalled import pedalled_set
from transcriber.evaluation.pieces import evaluation_set
from transcriber.evaluation.recital import recital_set

RESULTS = Path(__file__).resolve().parent / "results" / "key.json"

WRITTEN_KEYS = {
    # transcriber/evaluation/pieces.py: all on C major scale steps and I-vi-IV-V harmony.
    "scales_and_arpeggios": "C major",
    "chorale": "C major",
    "alberti_melody": "C major",
    "seeded_polyphony": "C major",
    # transcriber/evaluation/recital.py
    "sixteenth_runs": "D major",  # D major runs over D and G bass chords
    "repeated_notes": "C major",
    "waltz": "G major",  # G and D7 harmony, F♯ in the tune
    "slow_chorale": "C major",
    "staccato_chords": "C major",
    "trills_and_grace_notes": "C major",
    "nocturne": "C major",
    "alberti_sonatina": "C major",
    # transcriber/evaluation/pedalled.py
    "pedalled_arpeggios": "C major",
    "pedalled_chorale": "C major",
    "pedalled_waltz": "C major",
    # bench/key_pieces.py: minor and flat keys, which the evaluation sets lack
    "a_minor_chorale": "A minor",
    "d_minor_scales": "D minor",
    "e_minor_waltz": "E minor",
    "c_minor_alberti": "C minor",
    "b_flat_major_hymn": "Bb major",
    # assets/demo: the minuet in G the landing page plays
    "minuet_score": "G major",
    "minuet_transcribed": "G major",
}
"""Each piece's written key, read from its score."""


@dataclass(frozen=True)
class Case:
    """One piece: its name, written key and pitch-class weights."""

    name: str
    key: MusicalKey
    weights: tuple[float, ...]


def cases() -> list[Case]:
    """Every benchmark piece with its weights (duration times velocity per pitch class)."""
    found: list[Case] = []

    def add(name: str, weights: tuple[float, ...]) -> None:
        key = parse_key(WRITTEN_KEYS[name])
        assert key is not None, name
        found.append(Case(name, key, weights))

    for piece in evaluation_set() + recital_set() + pedalled_set() + key_pieces():
        add(
            piece.name,
            pitch_class_weights(
                (n.pitch_midi, n.end_s - n.start_s, n.velocity) for n in piece.notes
            ),
        )
    for name, path in (
        ("minuet_score", SCORE_MIDI_PATH),
        ("minuet_transcribed", TRANSCRIPTION_MIDI_PATH),
    ):
        notes = read_midi_notes(path)
        add(name, pitch_class_weights((n.pitch_midi, n.duration_ticks, n.velocity) for n in notes))
    return found


def signature(key: MusicalKey) -> int:
    """The tonic of the key's relative major: keys sharing it share a key signature."""
    return key.tonic_pc if key.mode == "major" else (key.tonic_pc + 3) % 12


def score(profile: KeyProfile, bench: list[Case]) -> dict[str, object]:
    """Accuracy of ``profile`` on ``bench``, its misses, and the mean margin to the runner-up.

    ``signature_accuracy`` also counts the relative major or minor as right: it spells the
    notes with the same sharps or flats, which is what the roll uses the key for.
    """
    misses: dict[str, str] = {}
    margins: list[float] = []
    same_signature = 0
    for case in bench:
        estimate = estimate_key_from_weights(case.weights, profile)
        assert estimate is not None
        same_signature += signature(estimate.key) == signature(case.key)
        if estimate.key != case.key:
            misses[case.name] = estimate.key.name
        else:
            margins.append(estimate.correlation - estimate.runner_up_correlation)
    correct = len(bench) - len(misses)
    return {
        "correct": correct,
        "pieces": len(bench),
        "accuracy": round(correct / len(bench), 3),
        "signature_accuracy": round(same_signature / len(bench), 3),
        "mean_margin_when_right": round(sum(margins) / len(margins), 3) if margins else 0.0,
        "misses": misses,
    }


def main() -> None:
    """Score every profile, print the table and write the results file."""
    bench = cases()
    results = {profile.name: score(profile, bench) for profile in PROFILES}
    for name, figures in results.items():
        print(
            f"{name:18} {figures['correct']}/{figures['pieces']} = {figures['accuracy']:.3f}"
            f"  same signature {figures['signature_accuracy']:.3f}"
            f"  margin {figures['mean_margin_when_right']:.3f}  misses {figures['misses']}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
