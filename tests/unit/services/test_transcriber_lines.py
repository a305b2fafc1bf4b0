"""The transcriber's answers as the client reads them: the notes and the sustain pedal."""

from __future__ import annotations

import asyncio
import json

from keycraft.services.transcriber_client import (
    TranscribedNote,
    TranscribedPedal,
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
