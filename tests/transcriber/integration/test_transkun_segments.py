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
from transcriber.evaluation.pieces import Piece, ScoreNote, evaluation_set
from transcriber.evaluation.render import render_midi
from transcriber.models.registry import get_model
from transcriber.models.transkun.adapter import TranskunModel
from transcriber.models.transkun.segments import SHIPPED, segment_count, transcribe_segments
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
    total = segment_count(len(recording.samples), model.network, SHIPPED)
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
    """20 s is four segments; a caller gone after the first is noticed before the second."""
    model = get_model("transkun")
    assert isinstance(model, TranskunModel)
    samples = np.zeros(model.sample_rate_hz * 20, dtype=np.float32)
    told: list[tuple[int, int]] = []

    def on_part(done: int, total: int, notes: list[NoteEvent]) -> None:
        told.append((done, total))

    gone_after_first = Deadline(3600, client_gone=lambda: len(told) >= 2)
    with pytest.raises(ClientGone):
        model.predict(samples, default_options("transkun"), gone_after_first, on_part)
    assert told == [(0, 4), (1, 4)]


@pytest.mark.timeout(900)
def test_a_short_clip_is_one_segment_with_the_shipped_loops_notes(tmp_path: Path) -> None:
    """A 3 s clip is one segment with the notes of transkun's three.

    Notes match on pitch with onsets within mir_eval's 50 ms, both ways, on 3 s of the
    Alberti piece and on a chord held from the very first sample.
    """
    held = Piece(
        "held",
        (
            ScoreNote(0.0, 2.0, 60, 90),
            ScoreNote(0.0, 2.0, 64, 90),
            ScoreNote(0.0, 2.0, 67, 90),
            ScoreNote(2.2, 2.95, 72, 100),
        ),
    )
    model = get_model("transkun")
    assert isinstance(model, TranskunModel)
    for piece in (evaluation_set()[2], held):
        wav = render_midi(piece.to_midi(), tmp_path / f"{piece.name}.wav")
        samples = decode_file(wav, model.sample_rate_hz, 3600, tmp_path, None).samples
        clip = samples[: 3 * model.sample_rate_hz]
        assert model.segments(len(clip)) == 1
        told: list[tuple[int, int]] = []

        def tell(done: int, total: int, notes: list[NoteEvent], told: list = told) -> None:
            told.append((done, total))

        ours = [
            (n.pitch_midi, n.start_s) for n in model.raw_notes(clip, Deadline.unlimited(), tell)
        ]
        assert told == [(0, 1), (1, 1)]
        x = torch.from_numpy(np.ascontiguousarray(clip)).unsqueeze(1)
        with torch.inference_mode():
            shipped = [(n.pitch, n.start) for n in model.network.transcribe(x) if n.pitch >= 0]
        assert len(shipped) >= 3
        assert _unmatched(shipped, ours) == _unmatched(ours, shipped) == []


def _unmatched(
    notes: list[tuple[int, float]], others: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """The notes of ``notes`` with no note of the same pitch in ``others`` within 50 ms."""
    return [
        (pitch, start_s)
        for pitch, start_s in notes
        if not any(p == pitch and abs(s - start_s) <= 0.05 for p, s in others)
    ]
