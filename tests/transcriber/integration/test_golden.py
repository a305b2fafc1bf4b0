"""Our PyTorch Basic Pitch against Spotify's reference pipeline (onnxruntime)."""

from __future__ import annotations

import contextlib
import io
import logging
from pathlib import Path

import numpy as np
import pytest

from tests.transcriber.conftest import RenderedPiece
from transcriber.audio.decode import decode_file
from transcriber.domain import TranscriptionOptions
from transcriber.models.basic_pitch.adapter import BasicPitchModel
from transcriber.models.basic_pitch.notes import frame_times_s
from transcriber.models.registry import get_model

MAX_ABS_DIFF = 1e-4


def _reference_predict(path: Path) -> tuple[dict[str, np.ndarray], list[tuple]]:
    logging.disable(logging.WARNING)  # basic_pitch warns about absent optional runtimes
    try:
        import basic_pitch
        from basic_pitch import inference

        onnx_path = basic_pitch.build_icassp_2022_model_path(basic_pitch.FilenameSuffix.onnx)
        model = inference.Model(onnx_path)
        assert model.model_type == inference.Model.MODEL_TYPES.ONNX
        with contextlib.redirect_stdout(io.StringIO()):
            output, _, events = inference.predict(str(path), model)
    finally:
        logging.disable(logging.NOTSET)
    return output, events


@pytest.mark.parametrize("index", [0, 2])
def test_matches_reference_outputs_and_notes(
    rendered_set: list[RenderedPiece], tmp_path: Path, index: int
) -> None:
    wav = rendered_set[index].wav_path
    ref_output, ref_events = _reference_predict(wav)

    model = get_model("basic-pitch")
    assert isinstance(model, BasicPitchModel)
    recording = decode_file(wav, 22050, 3600, tmp_path, None)
    ours = model.activations(recording.samples, with_contour=True)
    for key, ref_key in (("note", "note"), ("onset", "onset"), ("contour", "contour")):
        mine = getattr(ours, key)
        assert mine.shape == ref_output[ref_key].shape
        assert float(np.abs(mine - ref_output[ref_key]).max()) <= MAX_ABS_DIFF, key

    frame_notes, n_frames = model.frame_notes(
        recording.samples, TranscriptionOptions(pitch_bends=True)
    )
    times = frame_times_s(n_frames)
    ours_list = sorted(
        (
            float(times[n.start_frame]),
            float(times[n.end_frame]),
            n.pitch_midi,
            round(127 * n.amplitude),
            n.bends_third_semitones,
        )
        for n in frame_notes
    )
    ref_list = sorted(
        (float(s), float(e), int(p), round(127 * float(a)), tuple(int(b) for b in bends))
        for s, e, p, a, bends in ref_events
    )
    assert len(ours_list) > 20
    assert ours_list == ref_list
    # Amplitudes agree to float32 rounding of the activations they average.
    ours_amp = sorted((n.start_frame, n.pitch_midi, n.amplitude) for n in frame_notes)
    assert len(ours_amp) == len(ref_events)
