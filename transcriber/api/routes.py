"""HTTP endpoints: validate input, call the model, format the response."""

from __future__ import annotations

import hmac
import shutil
import tempfile
import time
from pathlib import Path

import pretty_midi
from flask import Blueprint, Response, g, jsonify, request

from transcriber.api.formats import note_json, pedal_json, rhythm_json, timed_out
from transcriber.api.params import TranscribeRequest, parse_request
from transcriber.api.stream import start_stream
from transcriber.audio.decode import AudioTooLong, CorruptAudio, UnsupportedAudio, decode_file
from transcriber.client_connection import CLIENT_GONE_ENVIRON_KEY, client_gone_probe
from transcriber.domain import Recording, Rhythm, Transcript
from transcriber.errors import (
    ApiError,
    BadParameter,
    Busy,
    MetricsUnavailable,
    RecordingTooLong,
    Unauthorized,
    Unprocessable,
    UnsupportedMediaType,
)
from transcriber.metrics import render_metrics
from transcriber.midi import midi_bytes, notes_to_midi
from transcriber.observability import CLIENT_GONE_OUTCOME, OK_OUTCOME, record_transcription
from transcriber.rhythm import track_rhythm
from transcriber.runtime import ClientGone, Deadline, DeadlineExceeded
from transcriber.service import ServiceState, state

SECRET_HEADER = "X-Transcription-Secret"
# Clients should wait about as long as a typical transcription before retrying.
RETRY_AFTER_S = 30
# Logged (never sent) for a request whose caller hung up: the common "client closed" status.
CLIENT_CLOSED_STATUS = 499

bp = Blueprint("transcriber", __name__)


@bp.get("/health")
def health() -> Response:
    """Liveness: the process answers, and whether its one transcription slot is taken.

    ``busy`` lets a monitor (or a test) see the slot without trying to take it, which a probe
    ``POST /transcribe`` would do for an instant and so could refuse a real caller.
    """
    return jsonify(status="ok", busy=state().busy.locked())


@bp.get("/ready")
def ready() -> tuple[Response, int]:
    """Readiness: models are loaded and warmed."""
    svc = state()
    if not svc.ready:
        return jsonify(ready=False), 503
    return jsonify(ready=True, models=sorted(svc.models)), 200


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus exposition; guarded by its own token (see `Settings.METRICS_TOKEN`)."""
    _check_metrics_token(state())
    body, content_type = render_metrics()
    response = Response(body, content_type=content_type)
    response.headers["Cache-Control"] = "no-store"
    return response


def _check_metrics_token(svc: ServiceState) -> None:
    token = svc.settings.METRICS_TOKEN
    if not token:
        if svc.settings.SECRET:
            # A protected service does not publish its metrics to whoever can reach it.
            raise MetricsUnavailable("Set TRANSCRIBER_METRICS_TOKEN to enable /metrics.")
        return
    given = request.headers.get("Authorization", "")
    expected = f"Bearer {token}"
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        raise Unauthorized(
            "A valid Authorization: Bearer token is required.",
            headers={"WWW-Authenticate": "Bearer"},
        )


def _check_secret(svc: ServiceState) -> None:
    expected = svc.settings.SECRET
    if not expected:
        return
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        raise Unauthorized(f"A valid {SECRET_HEADER} header is required.")


@bp.post("/transcribe")
def transcribe() -> Response:
    """Transcribe the uploaded `audio` file to MIDI (default) or JSON notes."""
    svc = state()
    _check_secret(svc)
    if not svc.busy.acquire(blocking=False):
        raise Busy(
            "Another transcription is in progress; retry later.",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    work_dir = Path(tempfile.mkdtemp(prefix="transcribe-", dir=svc.settings.TMP_DIR))
    streaming = False
    try:
        # Checked between windows: a caller that hangs up frees the service within one window.
        deadline = Deadline(svc.settings.TIMEOUT_S, client_gone_probe(request.environ))
        params = parse_request(request.form, request.args, tuple(svc.models))
        g.model = params.model
        upload = request.files.get("audio")
        if upload is None:
            raise BadParameter("Upload the recording as the multipart file field 'audio'.")
        audio_path = work_dir / "upload"
        upload.save(audio_path)
        if params.response_format == "ndjson":
            # Refusals keep their status codes: only the work itself happens in the stream.
            recording = _decode(svc, params, audio_path, work_dir)
            response = start_stream(svc, params, recording, work_dir, deadline.remaining_s())
            streaming = True  # the stream now owns the slot and the folder
            return response
        return _run(svc, params, audio_path, work_dir, deadline)
    except ClientGone:
        # The request is still logged and counted; the middleware then writes no answer.
        request.environ[CLIENT_GONE_ENVIRON_KEY] = True
        g.error = CLIENT_GONE_OUTCOME
        return Response(status=CLIENT_CLOSED_STATUS)
    finally:
        if not streaming:
            shutil.rmtree(work_dir, ignore_errors=True)
            svc.busy.release()


def _run(
    svc: ServiceState,
    params: TranscribeRequest,
    audio_path: Path,
    work_dir: Path,
    deadline: Deadline,
) -> Response:
    started = time.perf_counter()
    try:
        recording, transcript = _transcribe(svc, params, audio_path, work_dir, deadline)
        rhythm = track_rhythm(transcript.notes)
    except Exception as exc:
        if isinstance(exc, ApiError):
            outcome = exc.code
        elif isinstance(exc, ClientGone):
            outcome = CLIENT_GONE_OUTCOME
        else:
            outcome = "internal_error"
        record_transcription(
            params.model, time.perf_counter() - started, outcome, g.get("audio_duration_s"), None
        )
        raise
    notes, pedals = transcript.notes, transcript.pedals
    elapsed_s = time.perf_counter() - started
    processing_s = round(elapsed_s, 3)
    g.notes = len(notes)
    record_transcription(params.model, elapsed_s, OK_OUTCOME, recording.duration_s, len(notes))
    if params.response_format == "json":
        return jsonify(
            model=params.model,
            duration_s=recording.duration_s,
            processing_s=processing_s,
            notes=[note_json(n, params.options.pitch_bends) for n in notes],
            pedals=[pedal_json(p) for p in pedals],
            **rhythm_json(rhythm),
        )
    body = midi_bytes(_midi(params, transcript, rhythm))
    response = Response(body, mimetype="audio/midi")
    response.headers["Content-Disposition"] = 'attachment; filename="transcription.mid"'
    response.headers["X-Model"] = params.model
    response.headers["X-Audio-Duration-S"] = f"{recording.duration_s:.3f}"
    response.headers["X-Processing-S"] = f"{processing_s:.3f}"
    return response


def _midi(
    params: TranscribeRequest, transcript: Transcript, rhythm: Rhythm
) -> pretty_midi.PrettyMIDI:
    """The MIDI answer: notes and pedal at their times on a tempo map following the beats."""
    return notes_to_midi(
        transcript.notes,
        params.tempo_bpm,
        params.options.pitch_bends,
        pedals=transcript.pedals,
        rhythm=rhythm,
    )


def _transcribe(
    svc: ServiceState,
    params: TranscribeRequest,
    audio_path: Path,
    work_dir: Path,
    deadline: Deadline,
) -> tuple[Recording, Transcript]:
    """Decode and predict; decoding and time-budget failures become API errors."""
    recording = _decode(svc, params, audio_path, work_dir)
    try:
        deadline.check()
        transcript = svc.models[params.model].transcribe(
            recording.samples, params.options, deadline
        )
    except DeadlineExceeded as exc:
        raise timed_out(svc.settings.TIMEOUT_S) from exc
    return recording, transcript


def _decode(
    svc: ServiceState, params: TranscribeRequest, audio_path: Path, work_dir: Path
) -> Recording:
    """Decode the upload at the model's rate; a file that cannot be used is an API error."""
    try:
        recording = decode_file(
            audio_path,
            svc.models[params.model].sample_rate_hz,
            svc.settings.MAX_DURATION_S,
            work_dir,
            svc.settings.FFMPEG or None,
        )
    except UnsupportedAudio as exc:
        raise UnsupportedMediaType(_sentence(exc)) from exc
    except AudioTooLong as exc:
        raise RecordingTooLong(_sentence(exc)) from exc
    except CorruptAudio as exc:
        raise Unprocessable(_sentence(exc)) from exc
    g.audio_duration_s = round(recording.duration_s, 3)
    return recording


def _sentence(exc: Exception) -> str:
    text = str(exc)
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."
