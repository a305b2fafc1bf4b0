"""The sustain pedal end to end: a pedalled piece played on the sampled grand in a room.

The piano model's MIDI answer holds the pedal as controller 64 where the recording was
pedalled; the fast model hears no pedal and answers an empty list rather than a guess.
"""

from __future__ import annotations

import io
import json

import pretty_midi
import pytest
from flask import Flask

from transcriber import create_app
from transcriber.evaluation.pedalled import pedalled_waltz
from transcriber.evaluation.pieces import Piece
from transcriber.evaluation.room import recital_room, record_piece
from transcriber.evaluation.scoring import pedal_spans_of_midi, score_pedals

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
