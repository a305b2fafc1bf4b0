"""HTTP client for the separate transcription service."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from keycraft.services.domain import TimeSignature
from keycraft.services.errors import DomainError
from keycraft.services.logs import request_id_var

REQUEST_ID_HEADER = "X-Request-ID"

TranscriberModel = Literal["basic-pitch", "transkun"]


class TranscriptionError(DomainError):
    """The transcriber could not turn this audio into notes."""


class TranscriberUnavailable(TranscriptionError):
    """The transcription service did not answer, or answered nonsense."""


class TranscriberBusy(TranscriptionError):
    """The service is working at capacity (HTTP 429); try again after ``retry_after_s``."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"retry after {retry_after_s}s")
        self.retry_after_s = retry_after_s


class AudioTooLarge(TranscriptionError):
    """The file is over the service's size limit (HTTP 413)."""


class UnsupportedAudio(TranscriptionError):
    """The file is not an audio format the service reads (HTTP 415)."""


class AudioRejected(TranscriptionError):
    """The service refused the audio or the settings (HTTP 400/422), e.g. too long."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class TranscriberRefused(TranscriptionError):
    """The service refused our shared secret (HTTP 401): a configuration problem."""


class TranscriptionTimedOut(TranscriptionError):
    """The service (HTTP 504) or the connection gave up before the notes were ready."""


@dataclass(frozen=True, slots=True)
class TranscriptionOptions:
    """The knobs the service takes; None leaves the service's default."""

    model: TranscriberModel = "basic-pitch"
    onset_threshold: float | None = None
    frame_threshold: float | None = None
    min_note_ms: float | None = None
    min_freq_hz: float | None = None
    max_freq_hz: float | None = None
    pitch_bends: bool = False
    tempo_bpm: float | None = None

    def form_fields(self) -> dict[str, str]:
        """The multipart form fields for ``POST /transcribe``."""
        fields = {"model": self.model, "pitch_bends": "true" if self.pitch_bends else "false"}
        optional = {
            "onset_threshold": self.onset_threshold,
            "frame_threshold": self.frame_threshold,
            "min_note_ms": self.min_note_ms,
            "min_freq_hz": self.min_freq_hz,
            "max_freq_hz": self.max_freq_hz,
            "tempo_bpm": self.tempo_bpm,
        }
        fields.update({k: f"{v:g}" for k, v in optional.items() if v is not None})
        return fields


@dataclass(frozen=True, slots=True)
class ModelKnobs:
    """One model's knobs as the app offers them, with the service's defaults for it.

    Attributes:
        thresholds: Whether the model reads the onset and frame thresholds.
        onset_threshold: Default onset threshold (0-1), when ``thresholds``.
        frame_threshold: Default frame threshold (0-1), when ``thresholds``.
        min_note_ms: Default shortest note kept, in milliseconds.
    """

    thresholds: bool
    onset_threshold: float
    frame_threshold: float
    min_note_ms: int


MODEL_KNOBS: dict[TranscriberModel, ModelKnobs] = {
    "basic-pitch": ModelKnobs(
        thresholds=True, onset_threshold=0.6, frame_threshold=0.4, min_note_ms=30
    ),
    # The piano model decodes notes without thresholds; it keeps the shortest grace notes.
    "transkun": ModelKnobs(
        thresholds=False, onset_threshold=0.6, frame_threshold=0.4, min_note_ms=20
    ),
}
"""Mirrors ``transcriber.defaults`` (measured in docs/transcription-defaults.md)."""


def options_for(
    model: TranscriberModel,
    onset_threshold: float,
    frame_threshold: float,
    min_note_ms: float,
    tempo_bpm: float | None = None,
) -> TranscriptionOptions:
    """The options to send for ``model``: knobs the model ignores are left out."""
    knobs = MODEL_KNOBS[model]
    return TranscriptionOptions(
        model=model,
        onset_threshold=onset_threshold if knobs.thresholds else None,
        frame_threshold=frame_threshold if knobs.thresholds else None,
        min_note_ms=min_note_ms,
        tempo_bpm=tempo_bpm,
    )


@dataclass(frozen=True, slots=True)
class TranscribedNote:
    """A note as the service reports it, in seconds."""

    start_s: float
    end_s: float
    pitch_midi: int
    velocity: int


@dataclass(frozen=True, slots=True)
class TranscribedPedal:
    """The sustain pedal held down from ``start_s`` to ``end_s``, as the service heard it."""

    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class TranscribedBeat:
    """A beat the service tracked, ``time_s`` into the recording; a downbeat starts a bar."""

    time_s: float
    downbeat: bool


@dataclass(frozen=True, slots=True)
class Transcription:
    """The service's answer.

    ``pedals`` is empty when the model does not hear the pedal (the fast one) or when the
    service is older than the pedal. ``beats`` (in time order) and ``meter`` are what the
    service's beat tracker heard: no beats and no metre when it found none or is older.
    """

    model: str
    duration_s: float
    processing_s: float
    notes: tuple[TranscribedNote, ...]
    pedals: tuple[TranscribedPedal, ...] = ()
    beats: tuple[TranscribedBeat, ...] = ()
    meter: TimeSignature | None = None


@dataclass(frozen=True, slots=True)
class TranscriptionProgress:
    """One line of a streamed transcription: parts done, and the notes that part settled."""

    done: int
    total: int
    duration_s: float
    new_notes: tuple[TranscribedNote, ...]


ProgressCallback = Callable[[TranscriptionProgress], Awaitable[None]]


def _notes(items: Any) -> tuple[TranscribedNote, ...]:
    return tuple(
        TranscribedNote(
            start_s=float(n["start_s"]),
            end_s=float(n["end_s"]),
            pitch_midi=int(n["pitch_midi"]),
            velocity=int(n["velocity"]),
        )
        for n in items
    )


def _pedals(items: Any) -> tuple[TranscribedPedal, ...]:
    return tuple(
        TranscribedPedal(start_s=float(p["start_s"]), end_s=float(p["end_s"])) for p in items
    )


def _beats(items: Any) -> tuple[TranscribedBeat, ...]:
    beats = tuple(
        TranscribedBeat(time_s=float(b["time_s"]), downbeat=bool(b["downbeat"])) for b in items
    )
    # Sorted defensively: every use of the beats reads them in time order.
    return tuple(sorted(beats, key=lambda b: b.time_s))


def _meter(item: Any) -> TimeSignature | None:
    if item is None:
        return None
    return TimeSignature(int(item["beats_per_bar"]), int(item["beat_unit"]))


def _parse(body: Any) -> Transcription:
    try:
        notes = _notes(body["notes"])
        return Transcription(
            model=str(body["model"]),
            duration_s=float(body["duration_s"]),
            processing_s=float(body["processing_s"]),
            notes=notes,
            pedals=_pedals(body.get("pedals") or ()),
            beats=_beats(body.get("beats") or ()),
            meter=_meter(body.get("meter")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise TranscriberUnavailable("malformed response") from exc


def parse_transcription(body: Any) -> Transcription:
    """A transcription from the service's JSON answer (also how the app stores one).

    Raises:
        TranscriberUnavailable: the body is not a transcription.
    """
    return _parse(body)


def _error_for(response: httpx.Response) -> TranscriptionError:
    try:
        code = str(response.json().get("error", ""))
    except ValueError:
        code = ""
    return _error_for_status(response.status_code, code, response.headers.get("Retry-After", ""))


def _error_for_status(status: int, code: str, retry: str = "") -> TranscriptionError:
    if status == 429:
        return TranscriberBusy(int(retry) if retry.isdigit() else 30)
    if status == 413:
        return AudioTooLarge(code)
    if status == 415:
        return UnsupportedAudio(code)
    if status in (400, 422):
        return AudioRejected(code or str(status))
    if status == 401:
        return TranscriberRefused(code)
    if status == 504:
        return TranscriptionTimedOut(code)
    return TranscriberUnavailable(f"HTTP {status}")


class TranscriberClient:
    """Talks to the transcriber over HTTP with a shared secret; no state kept between calls."""

    def __init__(self, base_url: str, secret: str | None, timeout_s: float) -> None:
        self._base_url = base_url.rstrip("/")
        self._secret = secret
        self._timeout_s = timeout_s

    def _headers(self) -> dict[str, str]:
        headers = {"X-Transcription-Secret": self._secret} if self._secret else {}
        # The service logs the same id, so one job can be followed across both services.
        request_id = request_id_var.get()
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        return headers

    async def ready(self, timeout_s: float) -> bool:
        """Return whether the service answers ``/ready`` with 200 within ``timeout_s``."""
        try:
            async with httpx.AsyncClient(timeout=timeout_s) as client:
                response = await client.get(f"{self._base_url}/ready", headers=self._headers())
        except httpx.HTTPError as exc:
            raise TranscriberUnavailable(type(exc).__name__) from exc
        return response.status_code == 200

    async def transcribe(
        self, audio: bytes, filename: str, content_type: str, options: TranscriptionOptions
    ) -> Transcription:
        """Upload ``audio`` to ``POST /transcribe?format=json`` and return the notes.

        Cancelling the awaiting task closes the connection. The current request id (see
        ``keycraft.services.logs.request_id_var``) travels as ``X-Request-ID``.

        Raises:
            TranscriptionError: a subclass naming what went wrong.
        """
        timeout = httpx.Timeout(connect=5.0, write=120.0, read=self._timeout_s, pool=5.0)
        try:
            async with httpx.AsyncClient(timeout=timeout) as client:
                response = await client.post(
                    f"{self._base_url}/transcribe",
                    params={"format": "json"},
                    headers=self._headers(),
                    data=options.form_fields(),
                    files={"audio": (filename, audio, content_type)},
                )
        except httpx.TimeoutException as exc:
            raise TranscriptionTimedOut(type(exc).__name__) from exc
        except httpx.HTTPError as exc:
            raise TranscriberUnavailable(type(exc).__name__) from exc
        if response.status_code != 200:
            raise _error_for(response)
        try:
            body = response.json()
        except ValueError as exc:
            raise TranscriberUnavailable("response is not JSON") from exc
        return _parse(body)

    async def transcribe_streaming(
        self,
        audio: bytes,
        filename: str,
        content_type: str,
        options: TranscriptionOptions,
        on_progress: ProgressCallback,
    ) -> Transcription:
        """Like ``transcribe``, but hear of each part as the service finishes it.

        Uses ``POST /transcribe?format=ndjson``: ``on_progress`` is awaited for every progress
        line (the first, with ``done == 0``, gives the number of parts and the recording's
        length). Cancelling the awaiting task closes the connection, which stops the service.

        Raises:
            TranscriptionError: a subclass naming what went wrong, before or during the stream.
        """
        timeout = httpx.Timeout(connect=5.0, write=120.0, read=self._timeout_s, pool=5.0)
        try:
            async with (
                httpx.AsyncClient(timeout=timeout) as client,
                client.stream(
                    "POST",
                    f"{self._base_url}/transcribe",
                    params={"format": "ndjson"},
                    headers=self._headers(),
                    data=options.form_fields(),
                    files={"audio": (filename, audio, content_type)},
                ) as response,
            ):
                if response.status_code != 200:
                    await response.aread()
                    raise _error_for(response)
                async for line in response.aiter_lines():
                    if not line.strip():
                        continue
                    result = await _read_line(line, on_progress)
                    if result is not None:
                        return result
        except httpx.TimeoutException as exc:
            raise TranscriptionTimedOut(type(exc).__name__) from exc
        except httpx.HTTPError as exc:
            raise TranscriberUnavailable(type(exc).__name__) from exc
        raise TranscriberUnavailable("the stream ended without a result")


async def _read_line(line: str, on_progress: ProgressCallback) -> Transcription | None:
    """Act on one streamed line; return the transcription once the result line arrives."""
    try:
        body = json.loads(line)
        event = body["event"]
        if event == "progress":
            progress = TranscriptionProgress(
                done=int(body["done"]),
                total=int(body["total"]),
                duration_s=float(body.get("duration_s", 0.0)),
                new_notes=_notes(body["notes"]),
            )
        elif event == "error":
            raise _error_for_status(int(body["status"]), str(body.get("error", "")))
        elif event == "result":
            return _parse(body)
        else:
            return None
    except (KeyError, TypeError, ValueError) as exc:
        raise TranscriberUnavailable("malformed stream line") from exc
    await on_progress(progress)
    return None
