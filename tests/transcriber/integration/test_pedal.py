"""The sustain pedal end to end: a pedalled piece played on the sampled grand in a room.

The piano model's MIDI answer holds the pedal as controller 64 where the recording was
pedalled; the fast model hears no pedal and answers an empty list rather than a guess.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pretty_midi
import pytest
import torch
from flask import Flask

from transcriber import create_app
from transcriber.audio.decode import decode_file
from transcriber.evaluation.pedalled import pedalled_waltz
from transcriber.evaluation.pieces import Piece
from transcriber.evaluation.room import recital_room, record_piece
from transcriber.evaluation.scoring import pedal_spans_of_midi, score_pedals
from transcriber.models.registry import get_model
from transcriber.models.transkun.adapter import SUSTAIN_PEDAL, TranskunModel
from transcriber.models.transkun.pedal import begin_marginals, begin_marginals_by_autograd
from transcriber.models.transkun.segments import transcribe_segments

PEDAL_ONSET_F1 = 0.8


@pytest.fixture(scope="module")
def pedalled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Piece, bytes]:
    """The pedalled waltz (16 s) recorded in a room, as WAV bytes."""
    piece = pedalled_waltz()
    wav = tmp_path_factory.mktemp("pedalled") / "waltz.wav"
    record_piece(piece.notes, recital_room(2), wav, pedals=piece.pedals)
    return piece, wav.read_bytes()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    work = tmp_path_factory.mktemp("work")
    return create_app({"MODELS": "basic-pitch,transkun", "TMP_DIR": str(work)})


def _post(app: Flask, audio: bytes, fields: dict[str, str], query: str = "") -> bytes:
    data: dict[str, object] = {**fields, "audio": (io.BytesIO(audio), "waltz.wav")}
    response = app.test_client().post(f"/transcribe{query}", data=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data()


def test_the_piano_models_midi_holds_the_pedal_as_controller_64(
    app: Flask, pedalled: tuple[Piece, bytes]
) -> None:
    piece, audio = pedalled
    body = _post(app, audio, {"model": "transkun"})
    midi = pretty_midi.PrettyMIDI(io.BytesIO(body))
    changes = [c for c in midi.instruments[0].control_changes if c.number == 64]
    assert {c.value for c in changes} == {0, 127}
    scores = score_pedals(piece.pedals, pedal_spans_of_midi(midi))
    assert scores.onset_f1 >= PEDAL_ONSET_F1


def test_the_fast_model_answers_no_pedal(app: Flask, pedalled: tuple[Piece, bytes]) -> None:
    _, audio = pedalled
    body = json.loads(_post(app, audio, {"model": "basic-pitch"}, "?format=json"))
    assert body["pedals"] == [] and body["notes"]


@pytest.mark.timeout(900)
def test_the_press_belief_matches_its_definition_on_the_networks_scores(
    pedalled: tuple[Piece, bytes], tmp_path: Path
) -> None:
    """The direct pass against autograd on the sustain track of every segment of 8 s.

    Segments of 6 s (hop 3 s) keep the autograd reference to seconds; the scores are the
    network's own for the waltz's first three pedal spans.
    """
    _, audio = pedalled
    wav = tmp_path / "waltz.wav"
    wav.write_bytes(audio)
    model = get_model("transkun")
    assert isinstance(model, TranskunModel)
    samples = decode_file(wav, model.sample_rate_hz, 3600, tmp_path, None).samples
    clip = samples[: 8 * model.sample_rate_hz]
    track = list(model.network.targetMIDIPitch).index(SUSTAIN_PEDAL)
    outputs: list[tuple[torch.Tensor, torch.Tensor]] = []

    def keep(module: torch.nn.Module, args: Any, output: tuple[torch.Tensor, ...]) -> None:
        outputs.append((output[0][:, :, 0, track].clone(), output[1][:, 0, track].clone()))

    handle = model.network.scorer.register_forward_hook(keep)
    try:
        with torch.inference_mode():
            x = torch.from_numpy(np.ascontiguousarray(clip)).unsqueeze(1)
            transcribe_segments(model.network, x, step_s=3.0, segment_s=6.0)
            beliefs = [
                (begin_marginals(s, n), begin_marginals_by_autograd(s, n)) for s, n in outputs
            ]
    finally:
        handle.remove()

    assert len(beliefs) == 5
    assert max(reference.sum() for _, reference in beliefs) > 1.0  # presses were heard
    for direct, reference in beliefs:
        np.testing.assert_allclose(direct, reference, rtol=0.0, atol=1e-9)
