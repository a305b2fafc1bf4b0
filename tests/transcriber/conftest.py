"""Shared fixtures for the transcription service tests: rendered audio and app instances."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from flask import Flask

from transcriber import create_app
from transcriber.evaluation.pieces import Piece, ScoreNote, evaluation_set
from transcriber.evaluation.render import render_midi


@dataclass(frozen=True)
class RenderedPiece:
    """A piece with its rendered recording."""

    piece: Piece
    wav_path: Path


def _truncate(piece: Piece, max_s: float) -> Piece:
    """Keep only the notes that end before `max_s`, so clips stay short."""
    kept = tuple(n for n in piece.notes if n.end_s <= max_s)
    return Piece(piece.name, kept)


@pytest.fixture(scope="session")
def rendered_set(tmp_path_factory: pytest.TempPathFactory) -> list[RenderedPiece]:
    """The evaluation pieces rendered once per run with FluidSynth (~12-15 s each)."""
    folder = tmp_path_factory.mktemp("rendered")
    return [
        RenderedPiece(p, render_midi(p.to_midi(), folder / f"{p.name}.wav"))
        for p in evaluation_set()
    ]


@pytest.fixture(scope="session")
def short_rendered_set(tmp_path_factory: pytest.TempPathFactory) -> list[RenderedPiece]:
    """The first three pieces cut to their first ~7 s, for the slower transkun model."""
    folder = tmp_path_factory.mktemp("rendered-short")
    out = []
    for p in evaluation_set()[1:]:
        short = _truncate(p, 7.0)
        out.append(RenderedPiece(short, render_midi(short.to_midi(), folder / f"{p.name}.wav")))
    return out


@pytest.fixture(scope="session")
def chord_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3 s recording of a C major chord followed by a single G (44.1 kHz stereo WAV)."""
    notes = (
        ScoreNote(0.3, 1.3, 60, 90),
        ScoreNote(0.3, 1.3, 64, 90),
        ScoreNote(0.3, 1.3, 67, 90),
        ScoreNote(1.6, 2.4, 67, 100),
    )
    folder = tmp_path_factory.mktemp("chord")
    return render_midi(Piece("chord", notes).to_midi(), folder / "chord.wav")


@pytest.fixture(scope="session")
def silence_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two seconds of digital silence."""
    path = tmp_path_factory.mktemp("silence") / "silence.wav"
    sf.write(path, np.zeros(2 * 22050, dtype=np.float32), 22050)
    return path


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., Flask]:
    """Build a basic-pitch app whose temp files go to a per-test directory.

    Models are loaded once per process, so building several apps is cheap.
    """

    def build(**overrides: Any) -> Flask:
        config: dict[str, Any] = {"MODELS": "basic-pitch", "TMP_DIR": str(tmp_path / "work")}
        config.update(overrides)
        (tmp_path / "work").mkdir(exist_ok=True)
        return create_app(config)

    return build
