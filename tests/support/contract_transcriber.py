"""An HTTP server speaking the transcriber's contract, for tests of the client and the UI.

It stands in for the real Flask + PyTorch service (not on this branch). Its "model" is a
naive FFT pitch tracker that is exact for the one-sine-at-a-time WAVs `sine_melody_wav`
renders, so tests can check the whole path: upload, options, errors, notes.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import soundfile
from flask import Flask, Response, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.serving import make_server

from tests.support.processes import free_port

FRAME_S = 0.05
MODELS = ("basic-pitch", "transkun")


@dataclass(frozen=True)
class SineNote:
    """One tone of a test melody."""

    start_s: float
    duration_s: float
    pitch_midi: int


def sine_melody_wav(notes: Sequence[SineNote], sample_rate: int = 16_000) -> bytes:
    """Render ``notes`` (one at a time) as a mono 16-bit WAV."""
    total_s = max(n.start_s + n.duration_s for n in notes) + 0.2
    audio = np.zeros(int(total_s * sample_rate), dtype=np.float32)
    for note in notes:
        start = int(note.start_s * sample_rate)
        length = int(note.duration_s * sample_rate)
        t = np.arange(length) / sample_rate
        freq = 440.0 * 2 ** ((note.pitch_midi - 69) / 12)
        audio[start : start + length] += 0.5 * np.sin(2 * np.pi * freq * t).astype(np.float32)
    out = io.BytesIO()
    soundfile.write(out, audio, sample_rate, format="WAV", subtype="PCM_16")
    return out.getvalue()


def _track(samples: np.ndarray, sample_rate: int, min_note_ms: float) -> list[dict[str, float]]:
    frame = int(FRAME_S * sample_rate)
    pitches: list[int | None] = []
    for i in range(0, len(samples) - frame + 1, frame):
        chunk = samples[i : i + frame]
        if float(np.sqrt(np.mean(chunk**2))) < 0.01:
            pitches.append(None)
            continue
        spectrum = np.abs(np.fft.rfft(chunk * np.hanning(len(chunk)), n=frame * 8))
        freq = float(np.argmax(spectrum)) * sample_rate / (frame * 8)
        pitches.append(round(69 + 12 * np.log2(freq / 440.0)) if freq > 20 else None)
    notes: list[dict[str, float]] = []
    start = 0
    for i in range(1, len(pitches) + 1):
        if i == len(pitches) or pitches[i] != pitches[start]:
            pitch = pitches[start]
            if pitch is not None and (i - start) * FRAME_S * 1000 >= min_note_ms:
                notes.append(
                    {
                        "start_s": round(start * FRAME_S, 3),
                        "end_s": round(i * FRAME_S, 3),
                        "pitch_midi": pitch,
                        "velocity": 80,
                    }
                )
            start = i
    return notes


@dataclass
class ContractTranscriber:
    """Control of the running server: its URL, requests seen, and switches for errors."""

    url: str
    secret: str
    busy: bool = False
    delay_s: float = 0.0
    requests: list[dict[str, str]] = field(default_factory=list)


def _create_app(control: ContractTranscriber, max_bytes: int) -> Flask:
    app = Flask("contract_transcriber")
    app.config["MAX_CONTENT_LENGTH"] = max_bytes

    def error(status: int, code: str, message: str) -> tuple[Response, int]:
        return jsonify({"error": code, "message": message}), status

    @app.errorhandler(413)
    def too_large(_exc: Exception) -> ResponseReturnValue:
        return error(413, "too_large", "The file is larger than the limit.")

    @app.post("/transcribe")
    def transcribe() -> ResponseReturnValue:
        if control.secret and request.headers.get("X-Transcription-Secret") != control.secret:
            return error(401, "unauthorized", "Missing or wrong secret.")
        control.requests.append({k: v for k, v in request.form.items()})
        if control.busy:
            response, status = error(429, "busy", "Every worker is busy.")
            return response, status, {"Retry-After": "7"}
        if request.form.get("model") not in MODELS:
            return error(400, "invalid_model", "Unknown model.")
        upload = request.files.get("audio")
        if upload is None:
            return error(400, "missing_audio", "No audio part.")
        started = time.monotonic()
        try:
            samples, sample_rate = soundfile.read(io.BytesIO(upload.read()), dtype="float32")
        except (soundfile.LibsndfileError, RuntimeError):
            return error(415, "unsupported_media", "This is not audio we can read.")
        if samples.ndim > 1:
            samples = samples.mean(axis=1)
        duration_s = len(samples) / sample_rate
        if duration_s > 60:
            return error(422, "too_long", "Recordings may be at most 60 seconds here.")
        time.sleep(control.delay_s)
        notes = _track(samples, sample_rate, float(request.form.get("min_note_ms", "50")))
        return jsonify(
            {
                "model": request.form["model"],
                "duration_s": round(duration_s, 3),
                "processing_s": round(time.monotonic() - started, 3),
                "notes": notes,
            }
        )

    return app


@contextmanager
def running_contract_transcriber(
    secret: str = "test-secret", max_bytes: int = 2 * 1024 * 1024
) -> Iterator[ContractTranscriber]:
    """Serve the contract transcriber on a free 127.0.0.1 port while the block runs."""
    port = free_port()
    control = ContractTranscriber(url=f"http://127.0.0.1:{port}", secret=secret)
    server = make_server("127.0.0.1", port, _create_app(control, max_bytes), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield control
    finally:
        server.shutdown()
        thread.join(timeout=5)
