"""Our transkun segment loop decodes exactly the notes of transkun's own ``transcribe``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from transcriber.audio.decode import decode_file
from transcriber.defaults import default_options
from transcriber.domain import NoteEvent
from transcriber.evaluation.pieces import evaluation_set
from transcriber.evaluation.render import render_midi
from transcriber.models.registry import get_model
from transcriber.models.transkun.adapter import TranskunModel
from transcriber.models.transkun.segments import transcribe_segments
from transcriber.runtime import ClientGone, Deadline


def _key(notes: list[Any]) -> list[tuple[float, float, int, int, bool, bool]]:
    return [(n.start, n.end, n.pitch, n.velocity, n.hasOnset, n.hasOffset) for n in notes]


@pytest.mark.timeout(900)
def test_segment_loop_matches_transcribe_and_reports_each_segment(tmp_path: Path) -> None:
    """A ~15 s piece is four 16 s segments (8 s hop, 8 s of lead-in and tail silence)."""
    piece = evaluation_set()[-1]
    wav = render_midi(piece.to_midi(), tmp_path / "piece.wav")
    model = get_model("transkun")
    assert isinstance(model, TranskunModel)
    recording = decode_file(wav, model.sample_rate_hz, 3600, tmp_path, None)
    x = torch.from_numpy(np.ascontiguousarray(recording.samples)).unsqueeze(1)
    with torch.inference_mode():
        theirs = model.network.transcribe(x)
        reports: list[tuple[int, int, list[Any]]] = []
        ours = transcribe_segments(
            model.network, x, lambda d, t, notes: reports.append((d, t, list(notes)))
        )

    assert len(theirs) > 20
    assert _key(ours) == _key(theirs)
    total = model.segments(len(recording.samples))
    assert total == 4
    assert [(d, t) for d, t, _ in reports] == [(k, total) for k in range(1, total + 1)]
    settled = [len(notes) for _, _, notes in reports]
    assert settled == sorted(settled)
    # Notes settle before the end (not only when the last segment is done).
    assert 0 < settled[0] < settled[-1] == len(theirs)
    # A settled note is reported as it ends up in the final notes.
    final = set(_key(theirs))
    assert all(k in final for _, _, notes in reports[:-1] for k in _key(notes))


def test_predict_tells_each_segment_and_stops_once_the_caller_left() -> None:
    """20 s is five segments; a caller gone after the first is noticed before the second."""
    model = get_model("transkun")
    assert isinstance(model, TranskunModel)
    samples = np.zeros(model.sample_rate_hz * 20, dtype=np.float32)
    told: list[tuple[int, int]] = []

    def on_part(done: int, total: int, notes: list[NoteEvent]) -> None:
        told.append((done, total))

    gone_after_first = Deadline(3600, client_gone=lambda: len(told) >= 2)
    with pytest.raises(ClientGone):
        model.predict(samples, default_options("transkun"), gone_after_first, on_part)
    assert told == [(0, 5), (1, 5)]
