"""Cut a time range out of a stored recording so re-transcription uploads only that part."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import soundfile

from keycraft.services.errors import DomainError
from keycraft.services.transcription.client import TranscribedNote

EDGE_PADDING_S = 0.5
"""Audio kept on each side of the range: models need some context to see an onset right at
the edge (and the decay of a note just before it), so the range alone would lose notes."""
FFMPEG_TIMEOUT_S = 120.0


class UndecodableRecording(DomainError):
    """The stored recording could not be decoded to cut a range out of it."""


class RangeOutsideRecording(DomainError):
    """The chosen range starts after the recording ends."""


@dataclass(frozen=True, slots=True)
class AudioSlice:
    """A piece of a recording as a WAV file, and where it sits in the whole.

    Attributes:
        wav_bytes: The piece, padding included, at the recording's rate: a float WAV, or a
            16-bit mono FLAC when cut ``compact`` (then ``suffix`` is ``.flac``).
        offset_s: Time in the recording of the slice's first sample.
        duration_s: Length of the slice, padding included.
        suffix: The file suffix of ``wav_bytes``.
    """

    wav_bytes: bytes
    offset_s: float
    duration_s: float
    suffix: str = ".wav"


def _read_range(
    source: io.BytesIO | Path, start_s: float, end_s: float, compact: bool = False
) -> AudioSlice:
    """Read ``[start_s, end_s)`` (clipped) of a libsndfile-readable file as a WAV slice.

    ``compact`` writes a 16-bit mono FLAC instead: minutes of audio in a few tens of MB,
    under the transcriber's upload limit (which downmixes to mono itself the same way).
    """
    with soundfile.SoundFile(source) as recording:
        rate_hz = recording.samplerate
        first = max(0, int(start_s * rate_hz))
        last = min(recording.frames, int(np.ceil(end_s * rate_hz)))
        if last <= first:
            raise RangeOutsideRecording(f"{start_s:g}s")
        recording.seek(first)
        samples = recording.read(last - first, dtype="float32", always_2d=True)
    out = io.BytesIO()
    if compact:
        mono = np.clip(samples.mean(axis=1), -1.0, 1.0)
        soundfile.write(out, mono, rate_hz, format="FLAC", subtype="PCM_16")
    else:
        soundfile.write(out, samples, rate_hz, format="WAV", subtype="FLOAT")
    return AudioSlice(
        wav_bytes=out.getvalue(),
        offset_s=first / rate_hz,
        duration_s=len(samples) / rate_hz,
        suffix=".flac" if compact else ".wav",
    )


def _read_range_with_ffmpeg(
    audio: bytes, suffix: str, start_s: float, end_s: float, ffmpeg: str, compact: bool
) -> AudioSlice:
    """Decode a compressed recording with ffmpeg, then read the range from the result."""
    exe = shutil.which(ffmpeg)
    if exe is None:
        raise UndecodableRecording(suffix)
    with tempfile.TemporaryDirectory(prefix="keycraft-slice-") as folder:
        # A file rather than a pipe: MP4 containers may keep their index at the end. The
        # whole file is decoded so the slice's offset is sample-exact (seeking in compressed
        # streams is only frame-exact).
        source = Path(folder) / f"source{suffix}"
        target = Path(folder) / "decoded.wav"
        source.write_bytes(audio)
        cmd = [exe, "-nostdin", "-loglevel", "error", "-y", "-i", str(source), "-vn"]
        cmd += ["-c:a", "pcm_f32le", "-f", "wav", str(target)]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=FFMPEG_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise UndecodableRecording(suffix) from exc
        if done.returncode != 0 or not target.is_file():
            raise UndecodableRecording(suffix)
        return _read_range(target, start_s, end_s, compact)


def slice_recording(
    audio: bytes,
    suffix: str,
    start_s: float,
    end_s: float,
    padding_s: float = EDGE_PADDING_S,
    ffmpeg: str = "ffmpeg",
    compact: bool = False,
) -> AudioSlice:
    """Cut ``[start_s - padding_s, end_s + padding_s)`` out of a recording, as WAV.

    Args:
        audio: The whole stored recording (any format the app accepts).
        suffix: Its file suffix, e.g. ``.wav``.
        start_s: Start of the range of interest, in seconds.
        end_s: End of the range of interest (exclusive), in seconds.
        padding_s: Extra audio kept on each side, clipped to the recording.
        ffmpeg: ffmpeg executable for formats libsndfile cannot read.
        compact: Cut as a 16-bit mono FLAC rather than a float WAV (long slices).

    Raises:
        UndecodableRecording: The recording cannot be decoded.
        RangeOutsideRecording: ``start_s`` is at or after the recording's end.
    """
    if end_s <= start_s:
        raise RangeOutsideRecording(f"{start_s:g}s-{end_s:g}s")
    try:
        piece = _read_range(io.BytesIO(audio), start_s - padding_s, end_s + padding_s, compact)
    except (soundfile.LibsndfileError, RuntimeError, TypeError):
        # Formats libsndfile cannot read (e.g. M4A) go through ffmpeg.
        piece = _read_range_with_ffmpeg(
            audio, suffix, start_s - padding_s, end_s + padding_s, ffmpeg, compact
        )
    if piece.offset_s + piece.duration_s <= start_s:
        raise RangeOutsideRecording(f"{start_s:g}s")
    return piece


def notes_in_range(
    notes: Iterable[TranscribedNote], audio_slice: AudioSlice, start_s: float, end_s: float
) -> list[TranscribedNote]:
    """Move a slice's notes back to recording time and keep those starting in the range.

    Notes found only in the padding belong to neighbouring bars, which keep their own
    (possibly hand-edited) notes.
    """
    placed = (
        replace(n, start_s=n.start_s + audio_slice.offset_s, end_s=n.end_s + audio_slice.offset_s)
        for n in notes
    )
    return [n for n in placed if start_s <= n.start_s < end_s]
