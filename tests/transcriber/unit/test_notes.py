"""Frames-to-notes decoding: behaviour of each knob and equality with the reference."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from transcriber.domain import TranscriptionOptions
from transcriber.models.basic_pitch.notes import (
    FrameNote,
    decode_notes,
    estimate_bends,
    frame_times_s,
    min_note_frames,
)

N_FRAMES = 400


def _activations(notes: list[tuple[int, int, int, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Build frame/onset matrices from (start, end, pitch index, level) boxes."""
    frames = np.full((N_FRAMES, 88), 0.01, dtype=np.float32)
    onsets = np.full((N_FRAMES, 88), 0.01, dtype=np.float32)
    for start, end, idx, level in notes:
        frames[start:end, idx] = level
        onsets[start, idx] = 0.9
        onsets[start - 1, idx] = 0.4
        onsets[start + 1, idx] = 0.4
    return frames, onsets


def test_boxes_become_notes_with_pitch_and_length() -> None:
    frames, onsets = _activations([(20, 80, 39, 0.8), (100, 130, 43, 0.6)])
    notes = sorted(
        decode_notes(frames, onsets, None, TranscriptionOptions()), key=lambda n: n.pitch_midi
    )
    assert [(n.start_frame, n.end_frame, n.pitch_midi) for n in notes] == [
        (20, 80, 60),
        (100, 130, 64),
    ]
    assert notes[0].amplitude == pytest.approx(0.8)


def test_min_note_length_drops_short_notes() -> None:
    frames, onsets = _activations([(20, 30, 39, 0.8), (100, 160, 43, 0.8)])
    long_only = decode_notes(frames, onsets, None, TranscriptionOptions(min_note_ms=200))
    assert [n.pitch_midi for n in long_only] == [64]
    both = decode_notes(frames, onsets, None, TranscriptionOptions(min_note_ms=50))
    assert sorted(n.pitch_midi for n in both) == [60, 64]
    assert min_note_frames(TranscriptionOptions(min_note_ms=127.7)) == 11


def test_frequency_limits_remove_notes_outside_range() -> None:
    frames, onsets = _activations([(20, 80, 10, 0.8), (20, 80, 50, 0.8)])  # MIDI 31 and 71
    notes = decode_notes(frames, onsets, None, TranscriptionOptions(min_freq_hz=100.0))
    assert [n.pitch_midi for n in notes] == [71]
    notes = decode_notes(frames, onsets, None, TranscriptionOptions(max_freq_hz=100.0))
    assert [n.pitch_midi for n in notes] == [31]


def test_thresholds_control_detection() -> None:
    frames, onsets = _activations([(20, 80, 39, 0.35)])
    assert decode_notes(frames, onsets, None, TranscriptionOptions(frame_threshold=0.5)) == []
    assert len(decode_notes(frames, onsets, None, TranscriptionOptions(frame_threshold=0.3))) == 1


def test_silence_gives_no_notes() -> None:
    zeros = np.zeros((N_FRAMES, 88), dtype=np.float32)
    assert decode_notes(zeros, zeros, None, TranscriptionOptions()) == []
    assert decode_notes(zeros[:0], zeros[:0], None, TranscriptionOptions()) == []


def test_pitch_bends_follow_the_contour_peak() -> None:
    contour = np.zeros((N_FRAMES, 264), dtype=np.float32)
    centre = 3 * 39
    contour[20:50, centre] = 0.9
    contour[50:80, centre + 2] = 0.9  # two thirds of a semitone sharp
    note = FrameNote(20, 80, 60, 0.8)
    bends = estimate_bends(contour, note)
    assert bends == (0,) * 30 + (2,) * 30
    frames, onsets = _activations([(20, 80, 39, 0.8)])
    with_bends = decode_notes(frames, onsets, contour, TranscriptionOptions(pitch_bends=True))
    assert with_bends[0].bends_third_semitones == bends
    with pytest.raises(ValueError):
        decode_notes(frames, onsets, None, TranscriptionOptions(pitch_bends=True))


def test_frame_times_follow_the_reference_grid() -> None:
    times = frame_times_s(400)
    assert times[0] == 0.0
    assert times[1] == pytest.approx(256 / 22050)
    # Every 172 frames the reference grid steps back by its window drift.
    assert times[172] < 172 * 256 / 22050


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    raw = rng.random(shape)
    kernel = np.ones(5) / 5
    smooth = np.apply_along_axis(lambda c: np.convolve(c, kernel, mode="same"), 0, raw)
    return (smooth**3).astype(np.float32)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_reference_decoder_on_random_activations(seed: int) -> None:
    logging.disable(logging.WARNING)  # basic_pitch warns about absent optional runtimes
    try:
        from basic_pitch import note_creation
    finally:
        logging.disable(logging.NOTSET)  # later tests read log records

    rng = np.random.default_rng(seed)
    frames = _smooth_noise(rng, (600, 88))
    onsets = _smooth_noise(rng, (600, 88))
    contour = rng.random((600, 264)).astype(np.float32)
    options = TranscriptionOptions(
        onset_threshold=0.4, frame_threshold=0.25, min_note_ms=60.0, pitch_bends=True
    )
    ours = decode_notes(frames, onsets, contour, options)
    ref = note_creation.output_to_notes_polyphonic(
        frames.copy(),
        onsets.copy(),
        onset_thresh=0.4,
        frame_thresh=0.25,
        min_note_len=min_note_frames(options),
        infer_onsets=True,
        max_freq=None,
        min_freq=None,
        melodia_trick=True,
    )
    ref_bends = note_creation.get_pitch_bends(contour, ref)
    assert len(ours) == len(ref) > 20
    assert [(n.start_frame, n.end_frame, n.pitch_midi, n.amplitude) for n in ours] == [
        (int(s), int(e), int(p), float(a)) for s, e, p, a in ref
    ]
    assert [n.bends_third_semitones for n in ours] == [
        tuple(int(b) for b in bends) for *_, bends in ref_bends
    ]
