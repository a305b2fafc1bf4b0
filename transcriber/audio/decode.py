"""Decode uploaded audio to mono float32 at a model's rate, in bounded memory."""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from transcriber.audio.sniff import looks_like_audio
from transcriber.domain import Recording

# 64 Ki frames per read: large enough for throughput, small enough (<1 MB) to keep memory flat.
BLOCK_FRAMES = 1 << 16
_FFMPEG_TIMEOUT_S = 600


class AudioError(Exception):
    """Base class for audio that cannot be used."""


class UnsupportedAudio(AudioError):
    """The upload is not audio, or is in a format this deployment cannot decode."""


class CorruptAudio(AudioError):
    """The upload looks like audio but cannot be decoded, or is empty."""


class AudioTooLong(AudioError):
    """The recording exceeds the configured maximum duration."""

    def __init__(self, duration_s: float, max_duration_s: float) -> None:
        """Record both durations for the error message."""
        super().__init__(
            f"the recording lasts {duration_s:.1f} s; the maximum is {max_duration_s:g} s"
        )
        self.duration_s = duration_s
        self.max_duration_s = max_duration_s


def decode_file(
    path: Path,
    target_rate_hz: int,
    max_duration_s: float,
    work_dir: Path,
    ffmpeg: str | None,
) -> Recording:
    """Decode an audio file to mono float32 at `target_rate_hz`.

    WAV, FLAC, OGG and other formats known to libsndfile are read directly; anything else is
    converted by ffmpeg (when available) into a temporary WAV file inside `work_dir`.

    Args:
        path: The uploaded file.
        target_rate_hz: Sampling rate the model expects.
        max_duration_s: Longest accepted recording.
        work_dir: Private directory for temporary files (the caller removes it).
        ffmpeg: ffmpeg executable name or path; None disables the fallback.

    Returns:
        The decoded recording.

    Raises:
        UnsupportedAudio: Not audio, or needs ffmpeg which is unavailable.
        CorruptAudio: Undecodable or empty audio.
        AudioTooLong: Longer than `max_duration_s`.
    """
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError, TypeError):
        info = None
    if info is not None and info.frames > 0:
        return _read_soundfile(path, info, target_rate_hz, max_duration_s)
    if info is not None:
        raise CorruptAudio("the audio file contains no samples")
    converted = _convert_with_ffmpeg(path, target_rate_hz, max_duration_s, work_dir, ffmpeg)
    info = sf.info(str(converted))
    return _read_soundfile(converted, info, target_rate_hz, max_duration_s)


def _read_soundfile(
    path: Path, info: sf._SoundFileInfo, target_rate_hz: int, max_duration_s: float
) -> Recording:
    """Stream a libsndfile-readable file, mixing to mono and resampling block by block."""
    duration_s = info.frames / info.samplerate
    if duration_s > max_duration_s:
        raise AudioTooLong(duration_s, max_duration_s)
    if info.frames == 0:
        raise CorruptAudio("the audio file contains no samples")
    n_out = math.ceil(info.frames * target_rate_hz / info.samplerate)
    out = np.zeros(n_out, dtype=np.float32)
    resampler = None
    if info.samplerate != target_rate_hz:
        resampler = soxr.ResampleStream(
            info.samplerate, target_rate_hz, 1, dtype="float32", quality="HQ"
        )
    written = 0
    read_total = 0
    try:
        with sf.SoundFile(str(path)) as f:
            while True:
                block = f.read(BLOCK_FRAMES, dtype="float32", always_2d=True)
                read_total += len(block)
                last = len(block) < BLOCK_FRAMES or read_total >= info.frames
                mono = block.mean(axis=1, dtype=np.float32) if block.shape[1] > 1 else block[:, 0]
                chunk = resampler.resample_chunk(mono, last=last) if resampler else mono
                take = min(len(chunk), n_out - written)
                out[written : written + take] = chunk[:take]
                written += take
                if last:
                    break
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise CorruptAudio(f"the audio data could not be decoded ({exc})") from exc
    if read_total == 0:
        raise CorruptAudio("the audio file contains no samples")
    if not np.isfinite(out).all():
        raise CorruptAudio("the audio contains invalid (non-finite) samples")
    return Recording(samples=out, sample_rate_hz=target_rate_hz)


def _convert_with_ffmpeg(
    path: Path, target_rate_hz: int, max_duration_s: float, work_dir: Path, ffmpeg: str | None
) -> Path:
    """Convert any ffmpeg-readable input into a mono float WAV at the target rate."""
    exe = shutil.which(ffmpeg) if ffmpeg else None
    if exe is None:
        if looks_like_audio(path):
            raise UnsupportedAudio(
                "this audio format needs ffmpeg, which is not installed on the server; "
                "upload WAV, FLAC or OGG instead"
            )
        raise UnsupportedAudio("the upload is not a recognised audio file")
    target = work_dir / "converted.wav"
    # Decode at most a little past the limit so an over-long upload is detected cheaply.
    cmd = [
        exe,
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-i",
        str(path),
        "-vn",
        "-t",
        f"{max_duration_s + 1:.3f}",
        "-ac",
        "1",
        "-ar",
        str(target_rate_hz),
        "-c:a",
        "pcm_f32le",
        "-f",
        "wav",
        str(target),
    ]
    try:
        result = subprocess.run(cmd, capture_output=True, timeout=_FFMPEG_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise CorruptAudio("the audio could not be decoded in time") from exc
    if result.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        if looks_like_audio(path):
            raise CorruptAudio("the audio file is damaged and could not be decoded")
        raise UnsupportedAudio("the upload is not a recognised audio file")
    return target
