"""The transcriber client against a real HTTP server speaking the service's contract.

That server (tests/support/contract_transcriber.py) stands in for the real transcription
service until it is on this branch; it is a naive FFT pitch tracker, not the model.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from keycraft.services.domain import Note
from keycraft.services.transcriber_client import (
    AudioRejected,
    AudioTooLarge,
    TranscriberBusy,
    TranscriberClient,
    TranscriberRefused,
    TranscriberUnavailable,
    TranscriptionOptions,
    TranscriptionTimedOut,
    UnsupportedAudio,
)
from keycraft.services.transcription import notes_from_transcription
from tests.support.contract_transcriber import (
    ContractTranscriber,
    SineNote,
    running_contract_transcriber,
    sine_melody_wav,
)
from tests.support.processes import free_port

MELODY = (SineNote(0.0, 0.5, 60), SineNote(0.5, 0.25, 64), SineNote(1.0, 0.5, 67))


@pytest.fixture(scope="module")
def server() -> Iterator[ContractTranscriber]:
    with running_contract_transcriber() as control:
        yield control


@pytest.fixture(autouse=True)
def _reset(server: ContractTranscriber) -> None:
    server.busy = False
    server.delay_s = 0.0
    server.requests.clear()


def _client(server: ContractTranscriber, secret: str | None = "test-secret") -> TranscriberClient:
    return TranscriberClient(server.url, secret, timeout_s=10)


def test_transcribes_a_melody_and_sends_the_options(server: ContractTranscriber) -> None:
    options = TranscriptionOptions(model="transkun", onset_threshold=0.6, min_note_ms=100)
    result = asyncio.run(
        _client(server).transcribe(sine_melody_wav(MELODY), "m.wav", "audio/wav", options)
    )
    assert result.model == "transkun"
    assert result.duration_s == pytest.approx(1.7, abs=0.01)
    assert [(n.start_s, n.end_s, n.pitch_midi) for n in result.notes] == [
        (0.0, 0.5, 60),
        (0.5, 0.75, 64),
        (1.0, 1.5, 67),
    ]
    assert server.requests[-1] == {
        "model": "transkun",
        "pitch_bends": "false",
        "onset_threshold": "0.6",
        "min_note_ms": "100",
    }
    notes = notes_from_transcription(result.notes, tempo_bpm=120)
    assert notes == [Note(0, 480, 60, 80), Note(480, 240, 64, 80), Note(960, 480, 67, 80)]


def test_each_service_error_becomes_its_own_domain_error(server: ContractTranscriber) -> None:
    wav = sine_melody_wav(MELODY)
    options = TranscriptionOptions()
    client = _client(server)
    with pytest.raises(TranscriberRefused):
        asyncio.run(_client(server, secret="wrong").transcribe(wav, "a.wav", "audio/wav", options))
    with pytest.raises(UnsupportedAudio):
        asyncio.run(client.transcribe(b"not audio at all", "a.wav", "audio/wav", options))
    with pytest.raises(AudioTooLarge):
        asyncio.run(client.transcribe(b"\0" * (3 * 1024 * 1024), "a.wav", "audio/wav", options))
    long_wav = sine_melody_wav([SineNote(0, 61, 60)], sample_rate=2000)
    with pytest.raises(AudioRejected) as rejected:
        asyncio.run(client.transcribe(long_wav, "a.wav", "audio/wav", options))
    assert rejected.value.code == "too_long"
    server.busy = True
    with pytest.raises(TranscriberBusy) as busy:
        asyncio.run(client.transcribe(wav, "a.wav", "audio/wav", options))
    assert busy.value.retry_after_s == 7


def test_timeouts_and_unreachable_services(server: ContractTranscriber) -> None:
    server.delay_s = 2.0
    slow_client = TranscriberClient(server.url, "test-secret", timeout_s=0.5)
    wav = sine_melody_wav(MELODY)
    with pytest.raises(TranscriptionTimedOut):
        asyncio.run(slow_client.transcribe(wav, "a.wav", "audio/wav", TranscriptionOptions()))
    nobody = TranscriberClient(f"http://127.0.0.1:{free_port()}", None, timeout_s=1)
    with pytest.raises(TranscriberUnavailable):
        asyncio.run(nobody.transcribe(wav, "a.wav", "audio/wav", TranscriptionOptions()))
