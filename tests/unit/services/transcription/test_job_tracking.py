"""Outcomes of a transcription job: the timing metric's label and the finishing log line."""

from __future__ import annotations

import asyncio
import logging
from unittest.mock import AsyncMock

import pytest
from prometheus_client import REGISTRY

from keycraft.services.transcription.client import (
    TranscriberBusy,
    TranscriberClient,
    Transcription,
    TranscriptionOptions,
    TranscriptionTimedOut,
)
from keycraft.services.transcription.job_tracking import JOB_FINISHED_MESSAGE, run_transcription


def _count(outcome: str) -> float:
    value = REGISTRY.get_sample_value("keycraft_transcription_seconds_count", {"outcome": outcome})
    return value or 0.0


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record)


def _client(effect: object) -> TranscriberClient:
    client = AsyncMock(spec=TranscriberClient)
    if isinstance(effect, BaseException):
        client.transcribe.side_effect = effect
    else:
        client.transcribe.return_value = effect
    return client


def _run(client: TranscriberClient) -> Transcription:
    return asyncio.run(
        run_transcription(client, b"RIFF", "a.wav", "audio/wav", TranscriptionOptions())
    )


@pytest.mark.parametrize(
    ("effect", "outcome"),
    [
        (Transcription("basic-pitch", 1.0, 0.1, ()), "ok"),
        (TranscriptionTimedOut("ReadTimeout"), "timeout"),
        (TranscriberBusy(30), "failed"),
        (asyncio.CancelledError(), "cancelled"),
    ],
)
def test_each_outcome_is_timed_and_logged(effect: object, outcome: str) -> None:
    before = _count(outcome)
    logger = logging.getLogger("keycraft.transcription")
    records = _Records()
    # Attached to the job's logger itself: ``keycraft`` stops propagating once configured.
    logger.addHandler(records)
    previous_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        if isinstance(effect, BaseException):
            with pytest.raises(type(effect)):
                _run(_client(effect))
        else:
            assert _run(_client(effect)) == effect
    finally:
        logger.removeHandler(records)
        logger.setLevel(previous_level)
    assert _count(outcome) == before + 1
    finished = [r for r in records.seen if r.getMessage() == JOB_FINISHED_MESSAGE]
    assert len(finished) == 1
    assert finished[0].outcome == outcome  # type: ignore[attr-defined]
