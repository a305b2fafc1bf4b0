"""The transcriber's answers as the client reads them: notes, sustain pedal, beats and metre."""

from __future__ import annotations

import asyncio
import json

import pytest

from keycraft.services.domain import TimeSignature
from keycraft.services.transcription.client import (
    TranscribedBeat,
    TranscribedNote,
    TranscribedPedal,
    TranscriberUnavailable,
    TranscriptionProgress,
    _read_line,
)

NOTE = {"start_s": 0.5, "end_s": 1.0, "pitch_midi": 60, "velocity": 80}


async def _ignore(progress: TranscriptionProgress) -> None:
    return None


def test_the_result_line_brings_the_pedal_spans() -> None:
    line = json.dumps(
        {
            "event": "result",
            "model": "transkun",
            "duration_s": 4.0,
            "processing_s": 9.5,
            "notes": [NOTE],
            "pedals": [{"start_s": 0.45, "end_s": 1.8}, {"start_s": 1.9, "end_s": 3.0}],
        }
    )
    result = asyncio.run(_read_line(line, _ignore))
    assert result is not None
    assert result.notes == (TranscribedNote(0.5, 1.0, 60, 80),)
    assert result.pedals == (TranscribedPedal(0.45, 1.8), TranscribedPedal(1.9, 3.0))


def test_a_result_without_pedal_has_none() -> None:
    body = {"event": "result", "model": "basic-pitch", "duration_s": 1.0, "processing_s": 0.1}
    result = asyncio.run(_read_line(json.dumps({**body, "notes": [NOTE]}), _ignore))
    assert result is not None and result.pedals == ()
    empty = asyncio.run(_read_line(json.dumps({**body, "notes": [], "pedals": []}), _ignore))
    assert empty is not None and empty.pedals == ()


def test_the_result_line_brings_the_tracked_beats_and_metre() -> None:
    body = {"event": "result", "model": "transkun", "duration_s": 4.0, "processing_s": 1.0}
    beats = [
        {"time_s": 0.512, "downbeat": True},
        {"time_s": 1.02, "downbeat": False},
        {"time_s": 1.53, "downbeat": False},
    ]
    meter = {"beats_per_bar": 3, "beat_unit": 4}
    line = json.dumps({**body, "notes": [NOTE], "beats": beats, "meter": meter})
    result = asyncio.run(_read_line(line, _ignore))
    assert result is not None
    assert result.beats == (
        TranscribedBeat(0.512, True),
        TranscribedBeat(1.02, False),
        TranscribedBeat(1.53, False),
    )
    assert result.meter == TimeSignature(3, 4)


def test_no_tracked_beats_reads_as_none_and_no_metre() -> None:
    body = {"event": "result", "model": "basic-pitch", "duration_s": 1.0, "processing_s": 0.1}
    older = asyncio.run(_read_line(json.dumps({**body, "notes": []}), _ignore))
    assert older is not None and older.beats == () and older.meter is None
    line = json.dumps({**body, "notes": [], "beats": [], "meter": None})
    untracked = asyncio.run(_read_line(line, _ignore))
    assert untracked is not None and untracked.beats == () and untracked.meter is None


def test_a_malformed_metre_is_a_malformed_answer() -> None:
    body = {"event": "result", "model": "transkun", "duration_s": 1.0, "processing_s": 0.1}
    line = json.dumps({**body, "notes": [], "beats": [], "meter": {"beats_per_bar": 3}})
    with pytest.raises(TranscriberUnavailable):
        asyncio.run(_read_line(line, _ignore))
