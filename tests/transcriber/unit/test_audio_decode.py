"""Decoding uploads to mono float32 at the model rate."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from transcriber.audio.decode import AudioTooLong, CorruptAudio, UnsupportedAudio, decode_file
from transcriber.audio.sniff import looks_like_audio


def _tone(rate_hz: int, seconds: float, channels: int = 1) -> np.ndarray:
    t = np.arange(int(rate_hz * seconds)) / rate_hz
    mono = (0.5 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)
    return np.stack([mono] * channels, axis=1) if channels > 1 else mono


@pytest.mark.parametrize("fmt", ["WAV", "FLAC", "OGG"])
def test_native_formats_decode_and_resample(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"tone.{fmt.lower()}"
    sf.write(path, _tone(44100, 3.0, channels=2), 44100, format=fmt)
    rec = decode_file(path, 22050, 60, tmp_path, None)
    assert rec.sample_rate_hz == 22050
    assert rec.samples.dtype == np.float32 and rec.samples.ndim == 1
    assert len(rec.samples) == 3 * 22050
    spectrum = np.abs(np.fft.rfft(rec.samples[22050:44100]))
    assert abs(np.argmax(spectrum) - 440) <= 1  # 1 s window: one bin per hertz


def test_stream_resampling_matches_one_shot(tmp_path: Path) -> None:
    import soxr

    audio = np.random.default_rng(0).standard_normal(200_000).astype(np.float32) * 0.1
    path = tmp_path / "noise.wav"
    sf.write(path, audio, 44100, subtype="FLOAT")
    rec = decode_file(path, 22050, 60, tmp_path, None)
    expected = soxr.resample(audio, 44100, 22050, quality="soxr_hq")
    np.testing.assert_array_equal(rec.samples, expected)


def test_too_long_is_rejected_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    sf.write(path, _tone(8000, 5.0), 8000)
    with pytest.raises(AudioTooLong):
        decode_file(path, 22050, 4.0, tmp_path, None)


def test_garbage_is_unsupported_and_damaged_audio_is_corrupt(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("definitely not audio")
    with pytest.raises(UnsupportedAudio):
        decode_file(text, 22050, 60, tmp_path, "ffmpeg")
    with pytest.raises(UnsupportedAudio):
        decode_file(text, 22050, 60, tmp_path, None)
    wav = tmp_path / "tone.wav"
    sf.write(wav, _tone(22050, 1.0), 22050)
    damaged = tmp_path / "damaged.wav"
    damaged.write_bytes(wav.read_bytes()[:30])
    assert looks_like_audio(damaged)
    with pytest.raises(CorruptAudio):
        decode_file(damaged, 22050, 60, tmp_path, "ffmpeg")


def test_mp3_via_ffmpeg_and_clear_error_without_it(tmp_path: Path) -> None:
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg must be installed for the test tier (Debian package 'ffmpeg')"
    wav = tmp_path / "tone.wav"
    sf.write(wav, _tone(44100, 2.0), 44100)
    webm = tmp_path / "tone.webm"
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-i", str(wav), "-c:a", "libopus", str(webm)], check=True
    )
    rec = decode_file(webm, 22050, 60, tmp_path, "ffmpeg")
    assert abs(rec.duration_s - 2.0) < 0.1
    assert not list(tmp_path.glob("converted*")) or (tmp_path / "converted.wav").is_file()
    with pytest.raises(UnsupportedAudio, match="ffmpeg"):
        decode_file(webm, 22050, 60, tmp_path, None)
