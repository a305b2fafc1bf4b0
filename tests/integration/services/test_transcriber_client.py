"""The transcriber client against the real transcription service (gunicorn, both models)."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from pathlib import Path

import pytest

from keycraft.services.domain import TimeSignature
from keycraft.services.logs import request_id_var
from keycraft.services.transcription.client import (
    AudioRejected,
    TranscriberBusy,
    TranscriberClient,
    TranscriberRefused,
    TranscriberUnavailable,
    TranscriptionOptions,
    TranscriptionProgress,
    TranscriptionTimedOut,
    UnsupportedAudio,
)
from keycraft.services.transcription.recordings import notes_from_transcription
from tests.support.processes import free_port
from tests.support.recordings import as_events, melody, render_wav, tone_wav
from tests.support.transcriber_server import MAX_DURATION_S, RealTranscriber
from transcriber.evaluation.metred import minuet_ritardando
from transcriber.evaluation.scoring import score_notes

PIECE = melody([60, 64, 67, 72, 67, 64])
SLOW_TONE_S = 80.0
"""A recording within the test service's limits that keeps it busy for a while."""
SLOW = TranscriptionOptions(model="transkun")
"""The piano model needs tens of seconds for the slow tone on any CPU (Basic Pitch can need
only one), so a caller that leaves always leaves while the work is under way."""
IDLE_WITHIN_S = 10.0
"""How soon the service is free again once its caller has hung up: the piano model notices
between encoder layers (one or two seconds on two cores, more on a loaded machine)."""


def _client(server: RealTranscriber, secret: str | None = None) -> TranscriberClient:
    return TranscriberClient(server.url, secret or server.secret, timeout_s=60)


def test_transcribes_a_rendered_melody_with_the_given_options(
    transcriber: RealTranscriber, tmp_path: Path
) -> None:
    wav = render_wav(PIECE, tmp_path)
    options = TranscriptionOptions(model="basic-pitch", onset_threshold=0.5, min_note_ms=100)
    result = asyncio.run(_client(transcriber).transcribe(wav, "m.wav", "audio/wav", options))
    assert result.model == "basic-pitch"
    assert result.duration_s == pytest.approx(
        transcriber.transcriptions()[-1]["audio_s"], abs=0.001
    )
    assert all(n.end_s - n.start_s > 0.1 for n in result.notes)
    notes = notes_from_transcription(result.notes, tempo_bpm=120)
    assert score_notes(PIECE.notes, as_events(notes, 120)).onset_f1 >= 0.8


def test_tracked_beats_and_metre_arrive_typed_in_json_and_streamed_answers(
    transcriber: RealTranscriber, tmp_path: Path
) -> None:
    minuet = minuet_ritardando()
    wav = render_wav(minuet.piece, tmp_path)
    options = TranscriptionOptions(model="basic-pitch")
    client = _client(transcriber)
    whole = asyncio.run(client.transcribe(wav, "minuet.wav", "audio/wav", options))
    assert whole.meter == TimeSignature(3, 4)
    times = [b.time_s for b in whole.beats]
    assert len(times) >= 12 and times == sorted(times)
    downbeats = [b.time_s for b in whole.beats if b.downbeat]
    assert abs(downbeats[0] - minuet.downbeats_s[0]) < 0.07

    async def ignore(progress: TranscriptionProgress) -> None:
        return None

    streamed = asyncio.run(
        client.transcribe_streaming(wav, "minuet.wav", "audio/wav", options, ignore)
    )
    assert (streamed.beats, streamed.meter) == (whole.beats, whole.meter)


def test_each_service_error_becomes_its_own_domain_error(transcriber: RealTranscriber) -> None:
    wav = tone_wav(2.0)
    options = TranscriptionOptions()
    client = _client(transcriber)
    with pytest.raises(TranscriberRefused):
        asyncio.run(_client(transcriber, "wrong").transcribe(wav, "a.wav", "audio/wav", options))
    with pytest.raises(UnsupportedAudio):
        asyncio.run(client.transcribe(b"not audio at all", "a.wav", "audio/wav", options))
    with pytest.raises(AudioRejected) as damaged:
        asyncio.run(client.transcribe(b"RIFF not really a wave", "a.wav", "audio/wav", options))
    assert damaged.value.code == "unprocessable_audio"
    with pytest.raises(AudioRejected) as too_long:
        asyncio.run(client.transcribe(tone_wav(MAX_DURATION_S + 1), "a.wav", "audio/wav", options))
    assert too_long.value.code == "too_long"


def _outcomes(server: RealTranscriber, request_id: str) -> list[object]:
    """Outcomes the service logged for the transcriptions sent with ``request_id``."""
    deadline = time.monotonic() + IDLE_WITHIN_S
    while time.monotonic() < deadline:
        found = [
            e["outcome"]
            for e in server.request_log()
            if e.get("event") == "transcription" and e.get("request_id") == request_id
        ]
        if found:
            return found
        time.sleep(0.05)
    return []


def test_a_caller_that_gives_up_times_out_and_frees_the_service(
    transcriber: RealTranscriber,
) -> None:
    transcriber.wait_idle()
    impatient = TranscriberClient(transcriber.url, transcriber.secret, timeout_s=0.5)
    slow = tone_wav(SLOW_TONE_S)
    request_id = uuid.uuid4().hex

    async def give_up() -> None:
        request_id_var.set(request_id)
        await impatient.transcribe(slow, "a.wav", "audio/wav", SLOW)

    with pytest.raises(TranscriptionTimedOut):
        asyncio.run(give_up())
    # The closed connection stops the work: the slot is free long before it would finish.
    transcriber.wait_idle(timeout_s=IDLE_WITHIN_S)
    assert _outcomes(transcriber, request_id) == ["client_gone"]
    nobody = TranscriberClient(f"http://127.0.0.1:{free_port()}", None, timeout_s=1)
    with pytest.raises(TranscriberUnavailable):
        asyncio.run(nobody.transcribe(slow, "a.wav", "audio/wav", TranscriptionOptions()))


def test_cancelling_a_transcription_closes_its_connection_and_frees_the_service(
    transcriber: RealTranscriber,
) -> None:
    transcriber.wait_idle()
    client = _client(transcriber)
    request_id = uuid.uuid4().hex

    async def start_then_cancel() -> None:
        request_id_var.set(request_id)
        task = asyncio.create_task(
            client.transcribe(tone_wav(SLOW_TONE_S), "a.wav", "audio/wav", SLOW)
        )
        # Once the service reports its slot taken, it is busy with this one and refuses others.
        await asyncio.to_thread(transcriber.wait_busy)
        assert not task.done()
        with pytest.raises(TranscriberBusy) as busy:
            await client.transcribe(tone_wav(1.0), "b.wav", "audio/wav", TranscriptionOptions())
        assert busy.value.retry_after_s == 30
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert task.cancelled()

    asyncio.run(start_then_cancel())
    cancelled_at = time.monotonic()
    transcriber.wait_idle(timeout_s=IDLE_WITHIN_S)
    assert time.monotonic() - cancelled_at < IDLE_WITHIN_S
    assert _outcomes(transcriber, request_id) == ["client_gone"]


def test_a_streamed_transcription_reports_parts_then_the_same_notes(
    transcriber: RealTranscriber, tmp_path: Path
) -> None:
    transcriber.wait_idle()
    wav = render_wav(melody([60 + (k * 5) % 24 for k in range(60)]), tmp_path)
    options = TranscriptionOptions(model="basic-pitch")
    client = _client(transcriber)
    parts: list[TranscriptionProgress] = []

    async def note_part(progress: TranscriptionProgress) -> None:
        parts.append(progress)

    streamed = asyncio.run(
        client.transcribe_streaming(wav, "m.wav", "audio/wav", options, note_part)
    )
    whole = asyncio.run(client.transcribe(wav, "m.wav", "audio/wav", options))
    assert streamed.notes == whole.notes and len(whole.notes) > 40
    total = parts[0].total
    assert total >= 3 and [p.done for p in parts] == list(range(total + 1))
    assert parts[0].duration_s == pytest.approx(whole.duration_s)
    # Each final note reached the caller in some progress line (the last one at the latest).
    assert set(whole.notes) <= {n for p in parts for n in p.new_notes}
    with pytest.raises(TranscriberRefused):  # a small file: refused before it is all read
        asyncio.run(
            _client(transcriber, "wrong").transcribe_streaming(
                tone_wav(2.0), "m.wav", "audio/wav", options, note_part
            )
        )
    garbage = b"not audio at all"
    with pytest.raises(UnsupportedAudio):
        asyncio.run(client.transcribe_streaming(garbage, "a.wav", "audio/wav", options, note_part))


def test_cancelling_a_streamed_transcription_frees_the_service(
    transcriber: RealTranscriber,
) -> None:
    transcriber.wait_idle()
    client = _client(transcriber)
    request_id = uuid.uuid4().hex

    async def start_then_cancel() -> None:
        request_id_var.set(request_id)
        started = asyncio.Event()

        async def on_part(progress: TranscriptionProgress) -> None:
            started.set()

        task = asyncio.create_task(
            client.transcribe_streaming(tone_wav(SLOW_TONE_S), "a.wav", "audio/wav", SLOW, on_part)
        )
        await started.wait()  # the stream is under way: its first line has arrived
        assert not task.done()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(start_then_cancel())
    cancelled_at = time.monotonic()
    transcriber.wait_idle(timeout_s=IDLE_WITHIN_S)
    assert time.monotonic() - cancelled_at < IDLE_WITHIN_S
    assert _outcomes(transcriber, request_id) == ["client_gone"]
    # The request's own line is written once its stream has ended, saying how it ended.
    deadline = time.monotonic() + IDLE_WITHIN_S
    while not (lines := _request_lines(transcriber, request_id)):
        assert time.monotonic() < deadline, "the request was never logged"
        time.sleep(0.05)
    assert [(line["status"], line["error"]) for line in lines] == [(200, "client_gone")]


def _request_lines(server: RealTranscriber, request_id: str) -> list[dict[str, object]]:
    return [
        e
        for e in server.request_log()
        if e.get("event") == "request" and e.get("request_id") == request_id
    ]
