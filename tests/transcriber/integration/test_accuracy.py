"""Accuracy with each model's default options on pieces rendered with FluidSynth (mir_eval)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.transcriber.conftest import RenderedPiece
from transcriber import create_app
from transcriber.audio.decode import decode_file
from transcriber.defaults import default_options
from transcriber.domain import NoteEvent
from transcriber.evaluation.scoring import score_notes
from transcriber.models.registry import get_model
from transcriber.runtime import Deadline

# Floors sit a little under the figures measured on this set (see the benchmark output).
BASIC_PITCH_ONSET_F1 = 0.80
BASIC_PITCH_OFFSET_F1 = 0.30
TRANSKUN_ONSET_F1 = 0.97
TRANSKUN_OFFSET_F1 = 0.60


def _transcribe(name: str, wav: Path, tmp_path: Path) -> list[NoteEvent]:
    model = get_model(name)
    recording = decode_file(wav, model.sample_rate_hz, 3600, tmp_path, None)
    return model.predict(recording.samples, default_options(name), Deadline.unlimited())


def test_basic_pitch_accuracy(rendered_set: list[RenderedPiece], tmp_path: Path) -> None:
    scores = [
        score_notes(r.piece.notes, _transcribe("basic-pitch", r.wav_path, tmp_path))
        for r in rendered_set
    ]
    mean_onset = sum(s.onset_f1 for s in scores) / len(scores)
    mean_offset = sum(s.onset_offset_f1 for s in scores) / len(scores)
    assert mean_onset >= BASIC_PITCH_ONSET_F1, scores
    assert mean_offset >= BASIC_PITCH_OFFSET_F1, scores


@pytest.mark.timeout(1200)
def test_transkun_accuracy_direct_and_over_http(
    short_rendered_set: list[RenderedPiece], tmp_path: Path
) -> None:
    """Two ~7 s clips (transkun is slow on CPU): one called directly, one through the API."""
    direct, via_http = short_rendered_set[0], short_rendered_set[1]
    scores = [score_notes(direct.piece.notes, _transcribe("transkun", direct.wav_path, tmp_path))]

    (tmp_path / "work").mkdir()
    app = create_app({"MODELS": "basic-pitch,transkun", "TMP_DIR": str(tmp_path / "work")})
    response = app.test_client().post(
        "/transcribe?format=json",
        data={
            "audio": (io.BytesIO(via_http.wav_path.read_bytes()), "clip.wav"),
            "model": "transkun",
        },
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["model"] == "transkun"
    notes = [
        NoteEvent(n["start_s"], n["end_s"], n["pitch_midi"], n["velocity"]) for n in body["notes"]
    ]
    scores.append(score_notes(via_http.piece.notes, notes))

    for s in scores:
        assert s.onset_f1 >= TRANSKUN_ONSET_F1, scores
    mean_offset = sum(s.onset_offset_f1 for s in scores) / len(scores)
    assert mean_offset >= TRANSKUN_OFFSET_F1, scores
