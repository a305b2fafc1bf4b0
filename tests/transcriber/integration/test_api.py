"""HTTP contract of the service, exercised through the real app and model."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pretty_midi
import pytest
import soundfile as sf
from flask import Flask
from werkzeug.test import TestResponse

from transcriber.config import FORM_OVERHEAD_BYTES
from transcriber.service import state


def _post(app: Flask, path: Path | bytes, query: str = "", **fields: str) -> TestResponse:
    data: dict[str, object] = dict(fields)
    content = path if isinstance(path, bytes) else path.read_bytes()
    data["audio"] = (io.BytesIO(content), "upload.bin")
    return app.test_client().post(f"/transcribe{query}", data=data)


def test_health_and_ready(make_app: Callable[..., Flask]) -> None:
    client = make_app().test_client()
    assert client.get("/health").get_json() == {"status": "ok", "busy": False}
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.get_json() == {"ready": True, "models": ["basic-pitch"]}


def test_ready_is_503_until_models_are_loaded(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    state(app).ready = False
    response = app.test_client().get("/ready")
    assert response.status_code == 503
    assert response.get_json() == {"ready": False}


def test_midi_response_is_a_piano_file_with_headers(
    make_app: Callable[..., Flask], chord_wav: Path
) -> None:
    response = _post(make_app(), chord_wav, tempo_bpm="90")
    assert response.status_code == 200
    assert response.mimetype == "audio/midi"
    assert response.headers["X-Model"] == "basic-pitch"
    assert abs(float(response.headers["X-Audio-Duration-S"]) - sf.info(chord_wav).duration) < 1e-3
    assert float(response.headers["X-Processing-S"]) > 0
    midi = pretty_midi.PrettyMIDI(io.BytesIO(response.data))
    assert [i.program for i in midi.instruments] == [0]
    assert abs(midi.get_tempo_changes()[1][0] - 90) < 0.01
    assert {n.pitch for n in midi.instruments[0].notes} >= {60, 64, 67}


def test_default_tempo_is_120(make_app: Callable[..., Flask], chord_wav: Path) -> None:
    midi = pretty_midi.PrettyMIDI(io.BytesIO(_post(make_app(), chord_wav).data))
    assert abs(midi.get_tempo_changes()[1][0] - 120) < 0.01


def test_json_response_lists_notes(make_app: Callable[..., Flask], chord_wav: Path) -> None:
    response = _post(make_app(), chord_wav, "?format=json", pitch_bends="true")
    assert response.status_code == 200
    body = response.get_json()
    assert body["model"] == "basic-pitch"
    assert body["processing_s"] > 0
    assert abs(body["duration_s"] - sf.info(chord_wav).duration) < 1e-3
    notes = body["notes"]
    assert {n["pitch_midi"] for n in notes} >= {60, 64, 67}
    for n in notes:
        assert set(n) <= {"start_s", "end_s", "pitch_midi", "velocity", "bends"}
        assert 0 <= n["start_s"] < n["end_s"] and 1 <= n["velocity"] <= 127
    assert any("bends" in n for n in notes)


def test_knobs_change_the_result(make_app: Callable[..., Flask], chord_wav: Path) -> None:
    app = make_app()
    everything = _post(app, chord_wav, "?format=json").get_json()["notes"]
    high_only = _post(app, chord_wav, "?format=json", min_freq_hz="300").get_json()["notes"]
    assert {n["pitch_midi"] for n in high_only} == {n["pitch_midi"] for n in everything} - {
        p for p in range(21, 62)
    }
    strict = _post(app, chord_wav, "?format=json", onset_threshold="0.99", frame_threshold="0.99")
    assert len(strict.get_json()["notes"]) < len(everything)


def test_silence_gives_zero_notes(make_app: Callable[..., Flask], silence_wav: Path) -> None:
    response = _post(make_app(), silence_wav, "?format=json")
    assert response.status_code == 200
    assert response.get_json()["notes"] == []
    midi_response = _post(make_app(), silence_wav)
    assert midi_response.status_code == 200
    silent_midi = pretty_midi.PrettyMIDI(io.BytesIO(midi_response.data))
    assert sum(len(i.notes) for i in silent_midi.instruments) == 0


def test_secret_is_required_when_configured(
    make_app: Callable[..., Flask], chord_wav: Path
) -> None:
    client = make_app(SECRET="s3cret").test_client()
    data = {"audio": (io.BytesIO(chord_wav.read_bytes()), "a.wav")}
    missing = client.post("/transcribe", data=dict(data))
    assert missing.status_code == 401
    assert missing.get_json()["error"] == "unauthorized"
    wrong = client.post(
        "/transcribe",
        data={"audio": (io.BytesIO(b"x"), "a.wav")},
        headers={"X-Transcription-Secret": "nope"},
    )
    assert wrong.status_code == 401
    good = client.post(
        "/transcribe",
        data={"audio": (io.BytesIO(chord_wav.read_bytes()), "a.wav")},
        headers={"X-Transcription-Secret": "s3cret"},
    )
    assert good.status_code == 200


def test_bad_parameters_are_400(make_app: Callable[..., Flask], chord_wav: Path) -> None:
    app = make_app()
    cases = [
        ({"model": "whisper"}, "", "unknown_model"),
        ({"model": "transkun"}, "", "unknown_model"),  # not loaded in this app
        ({"onset_threshold": "1.5"}, "", "bad_parameter"),
        ({"frame_threshold": "abc"}, "", "bad_parameter"),
        ({"min_note_ms": "-3"}, "", "bad_parameter"),
        ({"min_freq_hz": "500", "max_freq_hz": "100"}, "", "bad_parameter"),
        ({"pitch_bends": "maybe"}, "", "bad_parameter"),
        ({"tempo_bpm": "nan"}, "", "bad_parameter"),
        ({}, "?format=xml", "bad_parameter"),
    ]
    for fields, query, code in cases:
        response = _post(app, chord_wav, query, **fields)
        assert response.status_code == 400, fields
        body = response.get_json()
        assert body["error"] == code and body["message"].endswith(".")
    missing = app.test_client().post("/transcribe", data={})
    assert missing.status_code == 400


def test_upload_over_limit_is_413(make_app: Callable[..., Flask]) -> None:
    app = make_app(MAX_UPLOAD_MB=1)
    response = _post(app, b"\0" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert response.get_json()["error"] == "payload_too_large"


def test_a_recording_of_exactly_the_limit_is_not_too_large(make_app: Callable[..., Flask]) -> None:
    app = make_app(MAX_UPLOAD_MB=1)
    response = _post(app, b"\0" * (1024 * 1024), model="basic-pitch")
    assert response.status_code == 415  # read, then refused as not audio


def test_default_upload_limit_is_100_mb(make_app: Callable[..., Flask]) -> None:
    # A 100 MB recording plus its multipart form.
    assert make_app().config["MAX_CONTENT_LENGTH"] == 100 * 1024 * 1024 + FORM_OVERHEAD_BYTES


def test_not_audio_is_415_and_corrupt_audio_is_422(
    make_app: Callable[..., Flask], chord_wav: Path
) -> None:
    app = make_app()
    text = _post(app, b"this is a text file, not a recording")
    assert text.status_code == 415
    assert text.get_json()["error"] == "unsupported_media_type"
    truncated = chord_wav.read_bytes()[:30]  # header cut short
    corrupt = _post(app, truncated)
    assert corrupt.status_code == 422
    assert corrupt.get_json()["error"] == "unprocessable_audio"
    empty_wav = io.BytesIO()
    sf.write(empty_wav, np.zeros(0, dtype=np.float32), 22050, format="WAV")
    assert _post(app, empty_wav.getvalue()).status_code == 422


def test_too_long_is_422(make_app: Callable[..., Flask], chord_wav: Path) -> None:
    response = _post(make_app(MAX_DURATION_S=1.0), chord_wav)
    assert response.status_code == 422
    assert response.get_json()["error"] == "too_long"
    assert "maximum" in response.get_json()["message"]


def test_compressed_formats_go_through_ffmpeg(
    make_app: Callable[..., Flask], chord_wav: Path, tmp_path: Path
) -> None:
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg must be installed for the test tier (Debian package 'ffmpeg')"
    m4a = tmp_path / "chord.m4a"
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-i", str(chord_wav), "-c:a", "aac", str(m4a)], check=True
    )
    response = _post(make_app(), m4a, "?format=json")
    assert response.status_code == 200
    assert {n["pitch_midi"] for n in response.get_json()["notes"]} >= {60, 64, 67}
    without_ffmpeg = _post(make_app(FFMPEG=""), m4a)
    assert without_ffmpeg.status_code == 415
    assert "ffmpeg" in without_ffmpeg.get_json()["message"]
    damaged = m4a.read_bytes()[:200]
    assert _post(make_app(), damaged).status_code == 422


def test_a_browser_recording_in_streamed_webm_is_transcribed(
    make_app: Callable[..., Flask], chord_wav: Path
) -> None:
    # MediaRecorder writes WebM/Opus as a stream: no duration and no cues, as ffmpeg writes
    # WebM to a pipe. The browser recorder sends exactly that.
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg must be installed for the test tier (Debian package 'ffmpeg')"
    cmd = [ffmpeg, "-loglevel", "error", "-i", str(chord_wav), "-c:a", "libopus"]
    webm = subprocess.run([*cmd, "-f", "webm", "pipe:1"], capture_output=True, check=True).stdout
    assert webm.startswith(b"\x1a\x45\xdf\xa3")
    response = _post(make_app(), webm, "?format=json")
    assert response.status_code == 200
    assert abs(response.get_json()["duration_s"] - sf.info(chord_wav).duration) < 0.1
    assert {n["pitch_midi"] for n in response.get_json()["notes"]} >= {60, 64, 67}


def test_second_request_while_busy_is_429(make_app: Callable[..., Flask], chord_wav: Path) -> None:
    app = make_app()
    lock = state(app).busy
    assert lock.acquire(blocking=False)
    try:
        response = _post(app, chord_wav)
    finally:
        lock.release()
    assert response.status_code == 429
    assert response.get_json()["error"] == "busy"
    assert int(response.headers["Retry-After"]) > 0
    assert _post(app, chord_wav).status_code == 200


def test_time_budget_exceeded_is_504(make_app: Callable[..., Flask], chord_wav: Path) -> None:
    response = _post(make_app(TIMEOUT_S=1e-9), chord_wav)
    assert response.status_code == 504
    assert response.get_json()["error"] == "timeout"


def test_temp_files_are_removed_in_every_outcome(
    make_app: Callable[..., Flask], chord_wav: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    outcomes = [
        (make_app(), chord_wav.read_bytes(), 200),
        (make_app(), b"garbage bytes", 415),
        (make_app(), chord_wav.read_bytes()[:30], 422),
        (make_app(MAX_DURATION_S=1.0), chord_wav.read_bytes(), 422),
        (make_app(TIMEOUT_S=1e-9), chord_wav.read_bytes(), 504),
    ]
    for app, payload, status in outcomes:
        assert _post(app, payload).status_code == status
        assert list(work.iterdir()) == [], f"leftover files after a {status} response"


def test_one_bounded_log_line_per_request(
    make_app: Callable[..., Flask], chord_wav: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(LOG_MAX_CHARS=300)
    capsys.readouterr()
    _post(app, chord_wav)
    lines = [line for line in capsys.readouterr().out.splitlines() if line]
    request_lines = [line for line in lines if '"event":"request"' in line]
    assert len(request_lines) == 1
    assert '"status":200' in request_lines[0] and '"model":"basic-pitch"' in request_lines[0]
    assert all(len(line) <= 300 for line in lines)
