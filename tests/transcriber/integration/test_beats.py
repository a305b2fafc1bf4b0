"""Beats and metre in every answer: JSON fields, the ndjson result line, the MIDI tempo map.

The fast model hears a march with a pickup played by FluidSynth; the piano model hears the
minuet with a ritardando played on the sampled grand in a room, and must count it in three.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mir_eval
import numpy as np
import pretty_midi
import pytest
from flask import Flask

from transcriber import create_app
from transcriber.evaluation.metred import MetredPiece, march_with_pickup, minuet_ritardando
from transcriber.evaluation.render import render_midi
from transcriber.evaluation.room import recital_room, record_piece

DOWNBEAT_F = 0.9


@pytest.fixture(scope="module")
def march(tmp_path_factory: pytest.TempPathFactory) -> tuple[MetredPiece, bytes]:
    """The march (4/4, one-beat pickup, 14 s) on the General MIDI piano."""
    metred = march_with_pickup()
    wav = render_midi(metred.piece.to_midi(), tmp_path_factory.mktemp("march") / "march.wav")
    return metred, wav.read_bytes()


def _post(app: Flask, audio: bytes, query: str = "", **fields: str) -> bytes:
    data: dict[str, object] = {**fields, "audio": (io.BytesIO(audio), "piece.wav")}
    # Buffered: a streamed answer is read to its end and closed, which frees the service.
    response = app.test_client().post(f"/transcribe{query}", data=data, buffered=True)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data()


def _downbeat_f(metred: MetredPiece, beats: list[dict[str, Any]]) -> float:
    found = np.array([b["time_s"] for b in beats if b["downbeat"]])
    return float(mir_eval.beat.f_measure(np.array(metred.downbeats_s), found))


def test_json_ndjson_and_midi_carry_the_same_beats_and_metre(
    make_app: Callable[..., Flask], march: tuple[MetredPiece, bytes]
) -> None:
    metred, audio = march
    app = make_app()
    body = json.loads(_post(app, audio, "?format=json"))
    assert body["meter"] == {"beats_per_bar": 4, "beat_unit": 4}
    beats = body["beats"]
    assert [set(b) for b in beats] == [{"time_s", "downbeat"}] * len(beats)
    times = [b["time_s"] for b in beats]
    assert times == sorted(times) and len(times) >= 20
    assert _downbeat_f(metred, beats) >= DOWNBEAT_F
    assert beats[0]["downbeat"] is False  # the pickup

    lines = _post(app, audio, "?format=ndjson").decode().splitlines()
    result = json.loads(lines[-1])
    assert result["event"] == "result"
    assert (result["beats"], result["meter"]) == (beats, body["meter"])
    assert all("beats" not in json.loads(line) for line in lines[:-1])

    midi = pretty_midi.PrettyMIDI(io.BytesIO(_post(app, audio)))
    signatures = [(s.numerator, s.denominator) for s in midi.time_signature_changes]
    assert signatures[-1] == (4, 4)
    downbeats = [b["time_s"] for b in beats if b["downbeat"]]
    bar_lines = midi.get_downbeats()
    assert all(np.min(np.abs(bar_lines - t)) < 0.002 for t in downbeats)
    assert len(midi.get_tempo_changes()[0]) > 2  # the tempo follows the beats
    # Notes stay where they were heard.
    written = sorted(round(n.start, 2) for n in midi.instruments[0].notes)
    assert written == sorted(round(n["start_s"], 2) for n in body["notes"])


def test_a_few_notes_give_no_beats_and_no_metre(
    make_app: Callable[..., Flask], chord_wav: Path
) -> None:
    app = make_app()
    body = json.loads(_post(app, chord_wav.read_bytes(), "?format=json"))
    assert body["notes"] and body["beats"] == [] and body["meter"] is None
    result = json.loads(_post(app, chord_wav.read_bytes(), "?format=ndjson").splitlines()[-1])
    assert result["beats"] == [] and result["meter"] is None


def test_the_piano_model_counts_the_slowing_minuet_in_three(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    metred = minuet_ritardando()
    wav = tmp_path_factory.mktemp("minuet") / "minuet.wav"
    record_piece(metred.piece.notes, recital_room(0), wav)
    work = tmp_path_factory.mktemp("work")
    app = create_app({"MODELS": "transkun", "TMP_DIR": str(work), "WARM_UP": False})
    body = json.loads(_post(app, wav.read_bytes(), "?format=json", model="transkun"))
    assert body["meter"] == {"beats_per_bar": 3, "beat_unit": 4}
    assert _downbeat_f(metred, body["beats"]) >= DOWNBEAT_F
