"""Cutting a range out of a recording for re-transcription, and placing its notes back."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from keycraft.services.transcription.audio_slice import (
    AudioSlice,
    RangeOutsideRecording,
    UndecodableRecording,
    notes_in_range,
    slice_recording,
)
from keycraft.services.transcription.client import TranscribedNote

RATE_HZ = 8000


def _ramp_wav(duration_s: float, channels: int = 1) -> bytes:
    """A WAV whose sample values are their own time in seconds, so cuts can be checked."""
    t = np.arange(int(duration_s * RATE_HZ), dtype=np.float32) / RATE_HZ
    samples = np.repeat(t[:, None], channels, axis=1)
    out = io.BytesIO()
    soundfile.write(out, samples, RATE_HZ, format="WAV", subtype="FLOAT")
    return out.getvalue()


def _read(piece: AudioSlice) -> np.ndarray:
    samples, rate_hz = soundfile.read(io.BytesIO(piece.wav_bytes), dtype="float32")
    assert rate_hz == RATE_HZ
    return np.asarray(samples)


def test_a_slice_is_the_range_plus_padding_with_its_offset() -> None:
    piece = slice_recording(_ramp_wav(10.0), ".wav", 4.0, 6.0, padding_s=0.5)
    assert piece.offset_s == pytest.approx(3.5)
    assert piece.duration_s == pytest.approx(3.0)
    samples = _read(piece)
    assert samples[0] == pytest.approx(3.5)
    assert samples[-1] == pytest.approx(6.5, abs=1 / RATE_HZ)


def test_padding_is_clipped_at_both_ends_and_channels_are_kept() -> None:
    piece = slice_recording(_ramp_wav(3.0, channels=2), ".wav", 0.0, 8.0, padding_s=0.5)
    assert piece.offset_s == 0.0
    assert piece.duration_s == pytest.approx(3.0)
    assert _read(piece).shape == (3 * RATE_HZ, 2)


def test_a_range_after_the_end_or_an_empty_range_is_refused() -> None:
    with pytest.raises(RangeOutsideRecording):
        slice_recording(_ramp_wav(3.0), ".wav", 3.2, 5.0, padding_s=0.5)
    with pytest.raises(RangeOutsideRecording):
        slice_recording(_ramp_wav(3.0), ".wav", 2.0, 2.0)


def test_garbage_cannot_be_sliced() -> None:
    with pytest.raises(UndecodableRecording):
        slice_recording(b"RIFF not really a wave file", ".wav", 0.0, 1.0)
    with pytest.raises(UndecodableRecording):
        slice_recording(b"RIFF", ".wav", 0.0, 1.0, ffmpeg="no-such-ffmpeg")


@pytest.mark.parametrize(
    ("suffix", "encode"),
    [
        (".m4a", ["-f", "mp4"]),
        # A browser recording: WebM/Opus written as a stream (no duration, no cues).
        (".webm", ["-c:a", "libopus", "-f", "webm"]),
    ],
)
def test_compressed_recordings_go_through_ffmpeg(
    tmp_path: Path, suffix: str, encode: list[str]
) -> None:
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg must be installed for the test tier (Debian package 'ffmpeg')"
    wav = tmp_path / "tone.wav"
    t = np.arange(4 * 48000) / 48000
    soundfile.write(wav, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 48000)
    cmd = [ffmpeg, "-loglevel", "error", "-i", str(wav), *encode]
    output = "pipe:1" if suffix == ".webm" else str(tmp_path / f"tone{suffix}")
    encoded = subprocess.run([*cmd, output], capture_output=True, check=True).stdout
    audio = encoded if suffix == ".webm" else (tmp_path / f"tone{suffix}").read_bytes()
    piece = slice_recording(audio, suffix, 1.0, 2.0, padding_s=0.25)
    assert piece.offset_s == pytest.approx(0.75)
    assert piece.duration_s == pytest.approx(1.5)


def test_notes_move_back_to_recording_time_and_padding_notes_are_dropped() -> None:
    piece = AudioSlice(b"", offset_s=3.5, duration_s=3.0)
    found = [
        TranscribedNote(0.2, 0.4, 60, 80),  # 3.7 s: in the padding before the range
        TranscribedNote(0.5, 1.0, 62, 80),  # 4.0 s: exactly at the start, kept
        TranscribedNote(2.4, 2.9, 64, 80),  # 5.9 s: kept
        TranscribedNote(2.5, 2.9, 65, 80),  # 6.0 s: the range's end is exclusive
    ]
    assert notes_in_range(found, piece, 4.0, 6.0) == [
        TranscribedNote(4.0, 4.5, 62, 80),
        TranscribedNote(5.9, 6.4, 64, 80),
    ]
