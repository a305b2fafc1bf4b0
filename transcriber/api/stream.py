"""``POST /transcribe?format=ndjson``: one JSON line per finished part, then the notes.

The model runs in a thread of its own while the request's thread writes its lines, so the
caller sees each part as it ends. The stream owns the service's one slot and the request's
temporary folder until it ends; a caller that hangs up stops the model within a part (or a
transkun encoder layer) and frees both.
"""

from __future__ import annotations

import json
import queue
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask import Response, current_app, g, request, stream_with_context

from transcriber.api.formats import note_json, pedal_json, rhythm_json, timed_out
from transcriber.api.params import TranscribeRequest
from transcriber.client_connection import client_gone_probe
from transcriber.domain import NoteEvent, Recording, Rhythm, Transcript
from transcriber.errors import ApiError
from transcriber.observability import (
    CLIENT_GONE_OUTCOME,
    OK_OUTCOME,
    STREAM_OUTCOME_KEY,
    StreamOutcome,
    record_transcription,
)
from transcriber.rhythm import track_rhythm
from transcriber.runtime import ClientGone, Deadline, DeadlineExceeded
from transcriber.service import ServiceState

NDJSON_TYPE = "application/x-ndjson"


@dataclass
class _Part:
    done: int
    total: int
    notes: list[NoteEvent]


@dataclass
class _Ended:
    transcript: Transcript | None = None
    rhythm: Rhythm | None = None
    error: BaseException | None = None


@dataclass
class _Work:
    """The model's thread and what it hands the writer."""

    events: queue.Queue[_Part | _Ended] = field(default_factory=queue.Queue)
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    counted: bool = False
    """Whether the ending was counted and logged (once, by the writer or at close)."""
    outcome: StreamOutcome = field(default_factory=StreamOutcome)
    """How the stream ended, for the request's log line (written when the stream closes)."""
    request_id: str | None = None


def note_key(note: NoteEvent) -> tuple[float, float, int]:
    """What tells one note from another in the stream (as the JSON rounds it)."""
    return (round(note.start_s, 6), round(note.end_s, 6), note.pitch_midi)


def progress_line(
    done: int, total: int, duration_s: float, new_notes: list[dict[str, object]]
) -> bytes:
    """One progress line: parts done of total, the recording's length, notes not sent before."""
    return _line(
        {
            "event": "progress",
            "done": done,
            "total": total,
            "duration_s": duration_s,
            "notes": new_notes,
        }
    )


def _line(body: dict[str, object]) -> bytes:
    return (json.dumps(body, separators=(",", ":")) + "\n").encode()


def _error_line(exc: BaseException, timeout_s: float) -> bytes:
    if isinstance(exc, DeadlineExceeded):
        exc = timed_out(timeout_s)
    if isinstance(exc, ApiError):
        return _line(
            {"event": "error", "status": exc.status, "error": exc.code, "message": exc.message}
        )
    message = "The transcription failed unexpectedly."
    return _line({"event": "error", "status": 500, "error": "internal_error", "message": message})


def start_stream(
    svc: ServiceState,
    params: TranscribeRequest,
    recording: Recording,
    work_dir: Path,
    budget_s: float,
) -> Response:
    """Start the model on ``recording`` and answer with its lines as they come.

    The caller has taken ``svc.busy`` and made ``work_dir``; the response releases both when
    it is closed, after the model's thread has stopped.
    """
    work = _Work(request_id=g.get("request_id"))
    setattr(g, STREAM_OUTCOME_KEY, work.outcome)
    probe = client_gone_probe(request.environ)

    def caller_left() -> bool:
        return work.stop.is_set() or (probe is not None and probe())

    deadline = Deadline(budget_s, caller_left)
    model = svc.models[params.model]

    def on_part(done: int, total: int, notes: list[NoteEvent]) -> None:
        work.events.put(_Part(done, total, list(notes)))

    def run() -> None:
        try:
            transcript = model.transcribe(recording.samples, params.options, deadline, on_part)
            rhythm = track_rhythm(transcript.notes)
            work.events.put(_Ended(transcript=transcript, rhythm=rhythm))
        except BaseException as exc:  # every ending reaches the writer, which reports it
            work.events.put(_Ended(error=exc))

    work.thread = threading.Thread(target=run, name="transcribe-stream", daemon=True)
    work.thread.start()

    started = time.perf_counter()
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def close() -> None:
        work.stop.set()
        if work.thread is not None:
            work.thread.join()
        try:
            if not work.counted:
                # The writer stopped early (the caller left while a line was written): the
                # model's ending is still counted, as a caller gone.
                with app.app_context():
                    elapsed_s = time.perf_counter() - started
                    _count(work, params, recording, elapsed_s, ClientGone())
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
            svc.busy.release()

    lines = _lines(work, params, recording, svc.settings.TIMEOUT_S, started)
    response = Response(stream_with_context(lines), mimetype=NDJSON_TYPE)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Model"] = params.model
    response.call_on_close(close)
    return response


def _lines(
    work: _Work,
    params: TranscribeRequest,
    recording: Recording,
    timeout_s: float,
    started: float,
) -> Iterator[bytes]:
    bends = params.options.pitch_bends
    sent: set[tuple[float, float, int]] = set()
    total = 0
    while True:
        event = work.events.get()
        if isinstance(event, _Part):
            total = event.total
            if event.done == event.total:
                continue  # the result line carries the last part's notes
            fresh = [n for n in event.notes if note_key(n) not in sent]
            sent.update(note_key(n) for n in fresh)
            yield progress_line(
                event.done, event.total, recording.duration_s, [note_json(n, bends) for n in fresh]
            )
            continue
        elapsed_s = time.perf_counter() - started
        transcript = event.transcript or Transcript(notes=[], pedals=[])
        _count(work, params, recording, elapsed_s, event.error, transcript.notes)
        if event.error is not None:
            if not isinstance(event.error, ClientGone):
                yield _error_line(event.error, timeout_s)
            return
        notes = transcript.notes
        new_notes = [note_json(n, bends) for n in notes if note_key(n) not in sent]
        if total:
            yield progress_line(total, total, recording.duration_s, new_notes)
        yield _line(
            {
                "event": "result",
                "model": params.model,
                "duration_s": recording.duration_s,
                "processing_s": round(elapsed_s, 3),
                "notes": [note_json(n, bends) for n in notes],
                "pedals": [pedal_json(p) for p in transcript.pedals],
                **rhythm_json(event.rhythm or Rhythm.unknown()),
            }
        )
        return


def _count(
    work: _Work,
    params: TranscribeRequest,
    recording: Recording,
    elapsed_s: float,
    error: BaseException | None,
    notes: list[NoteEvent] | None = None,
) -> None:
    """Count and log how the transcription ended, once; keep it for the request's line."""
    work.counted = True
    audio_s = recording.duration_s
    if error is not None:
        outcome = _outcome(error)
        work.outcome.error = outcome
        record_transcription(params.model, elapsed_s, outcome, audio_s, None, work.request_id)
    else:
        count = len(notes or [])
        work.outcome.notes = count
        record_transcription(params.model, elapsed_s, OK_OUTCOME, audio_s, count, work.request_id)


def _outcome(error: BaseException) -> str:
    if isinstance(error, ClientGone):
        return CLIENT_GONE_OUTCOME
    if isinstance(error, DeadlineExceeded):
        return timed_out(0).code
    if isinstance(error, ApiError):
        return error.code
    return "internal_error"
