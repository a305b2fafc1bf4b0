"""How long a recording plays, measured when it is submitted (its transcription minutes)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import soundfile

FFMPEG_PROBE_TIMEOUT_S = 60.0
LONGEST_BELIEVED_HEADER_S = 24 * 3600.0
"""A streamed FLAC's header says "unknown length" as a huge frame count: past this, decode."""


def _duration_from_header(audio: bytes) -> float | None:
    """WAV, FLAC and Ogg Vorbis state their frame count: no decoding needed."""
    try:
        info = soundfile.info(io.BytesIO(audio))
    except (soundfile.LibsndfileError, RuntimeError, TypeError):
        return None
    if info.frames <= 0 or info.samplerate <= 0:
        return None
    duration_s = float(info.frames) / float(info.samplerate)
    return duration_s if duration_s <= LONGEST_BELIEVED_HEADER_S else None


def _duration_by_decoding(audio: bytes, suffix: str, ffmpeg: str) -> float | None:
    """Decode the first audio stream with ffmpeg and read how far it got.

    Decoding rather than trusting the container: browser (MediaRecorder) WebM files carry
    no duration in their header, and a wrong header can never undercount what plays.
    """
    exe = shutil.which(ffmpeg)
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="keycraft-probe-") as folder:
        # A file rather than a pipe: MP4 containers may keep their index at the end.
        source = Path(folder) / f"source{suffix}"
        source.write_bytes(audio)
        cmd = [exe, "-nostdin", "-loglevel", "error", "-i", str(source), "-map", "0:a:0"]
        cmd += ["-f", "null", "-progress", "pipe:1", "-nostats", "-"]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=FFMPEG_PROBE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return None
    if done.returncode != 0:
        return None
    last_us = 0
    for line in done.stdout.decode("ascii", "replace").splitlines():
        name, _, value = line.partition("=")
        if name == "out_time_us" and value.strip().lstrip("-").isdigit():
            last_us = max(last_us, int(value))
    return last_us / 1_000_000 if last_us > 0 else None


def recording_duration_s(audio: bytes, suffix: str, ffmpeg: str = "ffmpeg") -> float | None:
    """Seconds the recording plays, or None when it cannot be decoded.

    Args:
        audio: The whole recording (WAV, MP3, FLAC, OGG, M4A or WebM).
        suffix: Its file suffix, e.g. ``.webm`` (ffmpeg guesses the format from it).
        ffmpeg: ffmpeg executable for formats libsndfile cannot read.
    """
    return _duration_from_header(audio) or _duration_by_decoding(audio, suffix, ffmpeg)
