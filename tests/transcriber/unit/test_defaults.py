"""Each model has its own default knobs, and the service applies them to requests."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
from flask import Flask

from transcriber.api.params import parse_request
from transcriber.defaults import DEFAULT_OPTIONS, MODEL_KNOBS, default_options
from transcriber.domain import MODEL_NAMES, NoteEvent, Transcript, TranscriptionOptions
from transcriber.models.base import PartCallback
from transcriber.models.transkun.adapter import keep_notes
from transcriber.runtime import Deadline
from transcriber.service import state

LOADED = ("basic-pitch", "transkun")


class _RecordingModel:
    """Stands in for transkun: records the options it is called with."""

    name = "transkun"
    sample_rate_hz = 44100

    def __init__(self) -> None:
        self.seen: list[TranscriptionOptions] = []

    def predict(
        self,
        samples: np.ndarray,
        options: TranscriptionOptions,
        deadline: Deadline,
        on_part: PartCallback | None = None,
    ) -> list[NoteEvent]:
        self.seen.append(options)
        return []

    def transcribe(
        self,
        samples: np.ndarray,
        options: TranscriptionOptions,
        deadline: Deadline,
        on_part: PartCallback | None = None,
    ) -> Transcript:
        return Transcript(notes=self.predict(samples, options, deadline, on_part), pedals=[])

    def warm_up(self) -> None:
        return None


def test_every_model_has_defaults_and_a_list_of_knobs() -> None:
    assert set(DEFAULT_OPTIONS) == set(MODEL_KNOBS) == set(MODEL_NAMES)
    assert "onset_threshold" in MODEL_KNOBS["basic-pitch"]
    assert MODEL_KNOBS["transkun"] == {"min_note_ms", "min_freq_hz", "max_freq_hz"}


def test_default_lengths_keep_a_pianists_shortest_notes() -> None:
    # A grace note or a trill note of a real pianist lasts 40-90 ms; the reference Basic Pitch
    # pipeline's 127.7 ms dropped them all.
    grace = NoteEvent(start_s=1.0, end_s=1.04, pitch_midi=74, velocity=70)
    assert keep_notes([grace], default_options("transkun")) == [grace]
    assert keep_notes([grace], TranscriptionOptions()) == []
    for model in MODEL_NAMES:
        assert default_options(model).min_note_ms < 40


def test_requests_take_their_models_defaults() -> None:
    for model in MODEL_NAMES:
        assert parse_request({"model": model}, {}, LOADED).options == default_options(model)
    assert parse_request({}, {}, LOADED).options == default_options("basic-pitch")


def test_a_knob_that_is_sent_overrides_the_models_default() -> None:
    req = parse_request({"model": "transkun", "min_note_ms": "90"}, {}, LOADED)
    assert req.options.min_note_ms == 90
    assert req.options.min_freq_hz == default_options("transkun").min_freq_hz


def test_the_service_hands_the_model_its_own_defaults(
    make_app: Callable[..., Flask], chord_wav: Path
) -> None:
    app = make_app(WARM_UP="false")
    piano = _RecordingModel()
    state(app).models["transkun"] = piano
    for fields in ({"model": "transkun"}, {"model": "transkun", "min_note_ms": "55"}):
        audio = (io.BytesIO(chord_wav.read_bytes()), "chord.wav")
        response = app.test_client().post(
            "/transcribe?format=json", data={"audio": audio, **fields}
        )
        assert response.status_code == 200, response.get_json()
    assert piano.seen[0] == default_options("transkun")
    assert piano.seen[1].min_note_ms == 55
