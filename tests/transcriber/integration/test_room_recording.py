"""Both models with their default options on a sampled grand piano recorded in a room.

One short recital clip (trills, grace notes, a mordent: notes of 40-90 ms) played with the
Salamander samples, reverberated and with background noise, scored with mir_eval.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from transcriber.audio.decode import decode_file
from transcriber.defaults import default_options
from transcriber.domain import NoteEvent
from transcriber.evaluation.pieces import Piece
from transcriber.evaluation.recital import trills_and_grace_notes
from transcriber.evaluation.room import recital_room, record_piece
from transcriber.evaluation.scoring import score_notes
from transcriber.models.registry import get_model
from transcriber.runtime import Deadline

CLIP_S = 7.5
"""Short enough for transkun's shortest pass (its 16 s window, a few times over)."""
TRANSKUN_ONSET_F1 = 0.9
BASIC_PITCH_ONSET_F1 = 0.75
"""Measured 0.80 on this clip with its defaults (0.64 with the reference pipeline's), less a
margin."""


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Piece, Path]:
    full = trills_and_grace_notes()
    piece = Piece(full.name, tuple(n for n in full.notes if n.end_s <= CLIP_S))
    wav = tmp_path_factory.mktemp("room") / "clip.wav"
    return piece, record_piece(piece.notes, recital_room(5), wav)


def _transcribe(name: str, wav: Path, tmp_path: Path) -> list[NoteEvent]:
    model = get_model(name)
    recording = decode_file(wav, model.sample_rate_hz, 3600, tmp_path, None)
    return model.predict(recording.samples, default_options(name), Deadline.unlimited())


def test_clip_has_the_short_notes_of_a_pianist(clip: tuple[Piece, Path]) -> None:
    piece, _ = clip
    lengths_ms = [1000 * (n.end_s - n.start_s) for n in piece.notes]
    assert min(lengths_ms) <= 45 and sum(ms < 128 for ms in lengths_ms) >= 20


@pytest.mark.timeout(300)
def test_piano_model_with_defaults_finds_the_short_notes(
    clip: tuple[Piece, Path], tmp_path: Path
) -> None:
    piece, wav = clip
    scores = score_notes(piece.notes, _transcribe("transkun", wav, tmp_path))
    assert scores.onset_f1 >= TRANSKUN_ONSET_F1, scores


def test_fast_model_with_defaults(clip: tuple[Piece, Path], tmp_path: Path) -> None:
    piece, wav = clip
    scores = score_notes(piece.notes, _transcribe("basic-pitch", wav, tmp_path))
    assert scores.onset_f1 >= BASIC_PITCH_ONSET_F1, scores
