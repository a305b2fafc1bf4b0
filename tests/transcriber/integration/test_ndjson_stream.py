"""``format=ndjson``: a line per finished part, the same final notes as JSON, errors as lines."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from tests.support.recordings import melody, render_wav

MELODY_S = 40.0
"""Long enough for three batches of Basic Pitch windows (~13 s each)."""


@pytest.fixture(scope="module")
def melody_wav(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A 40 s melody, one note every half second over two octaves."""
    pitches = [60 + (i * 5) % 24 for i in range(int(MELODY_S / 0.5) - 1)]
    return render_wav(melody(pitches), tmp_path_factory.mktemp("melody"))


def _post(app: Flask, audio: bytes, query: str, *, buffered: bool = True) -> TestResponse:
    """Post ``audio``; a buffered answer is read to its end and closed, as a server does."""
    data = {"audio": (io.BytesIO(audio), "melody.wav")}
    return app.test_client().post(f"/transcribe{query}", data=data, buffered=buffered)


def _lines(response: TestResponse) -> list[dict[str, Any]]:
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def test_stream_reports_each_part_then_the_json_notes(
    make_app: Callable[..., Flask], melody_wav: bytes
) -> None:
    app = make_app()
    streamed = _post(app, melody_wav, "?format=ndjson")
    assert streamed.status_code == 200
    assert streamed.mimetype == "application/x-ndjson"
    lines = _lines(streamed)
    progress, result = lines[:-1], lines[-1]
    assert [p["event"] for p in progress] == ["progress"] * len(progress)
    total = progress[0]["total"]
    assert total >= 3
    assert [p["done"] for p in progress] == list(range(total + 1))
    assert all(p["total"] == total for p in progress)
    assert progress[0]["notes"] == []
    assert progress[0]["duration_s"] == pytest.approx(MELODY_S, abs=3.0)
    # Notes arrive before the end, and each line brings only notes not sent before.
    assert sum(len(p["notes"]) for p in progress[1:-1]) > 0
    keys = [(n["start_s"], n["pitch_midi"]) for p in progress for n in p["notes"]]
    assert len(keys) == len(set(keys))

    as_json = _post(app, melody_wav, "?format=json").get_json()
    assert result["event"] == "result"
    assert result["model"] == "basic-pitch"
    assert result["duration_s"] == as_json["duration_s"]
    assert result["notes"] == as_json["notes"]
    assert result["pedals"] == as_json["pedals"] == []  # this model does not hear the pedal
    assert len(result["notes"]) > 40
    assert app.test_client().get("/health").get_json()["busy"] is False


def test_refusals_keep_their_status_before_the_stream(
    make_app: Callable[..., Flask], silence_wav: Path
) -> None:
    app = make_app()
    garbage = _post(app, b"not audio at all" * 100, "?format=ndjson")
    assert garbage.status_code in (415, 422)
    assert garbage.get_json()["error"] in ("unsupported_media_type", "unprocessable_audio")
    unknown = app.test_client().post(
        "/transcribe?format=ndjson",
        data={"audio": (io.BytesIO(silence_wav.read_bytes()), "s.wav"), "model": "nope"},
    )
    assert unknown.status_code == 400
    assert app.test_client().get("/health").get_json()["busy"] is False


def test_running_out_of_time_ends_the_stream_with_an_error_line(
    make_app: Callable[..., Flask], melody_wav: bytes
) -> None:
    app = make_app(TIMEOUT_S=1e-9)
    response = _post(app, melody_wav, "?format=ndjson")
    assert response.status_code == 200
    last = _lines(response)[-1]
    assert last["event"] == "error"
    assert last["status"] == 504
    assert last["error"] == "timeout"
    assert "did not finish" in last["message"]
    assert app.test_client().get("/health").get_json()["busy"] is False


def test_a_caller_that_hangs_up_frees_the_slot_and_folder(
    make_app: Callable[..., Flask], melody_wav: bytes, tmp_path: Path
) -> None:
    app = make_app()
    response = _post(app, melody_wav, "?format=ndjson", buffered=False)
    first = json.loads(next(response.iter_encoded()))
    assert first["event"] == "progress"
    assert first["done"] == 0
    assert app.test_client().get("/health").get_json()["busy"] is True
    response.close()  # what the server does once it cannot write to the caller
    assert app.test_client().get("/health").get_json()["busy"] is False
    assert list((tmp_path / "work").glob("transcribe-*")) == []
