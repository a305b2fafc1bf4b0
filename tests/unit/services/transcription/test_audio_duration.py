"""Recording lengths, measured from the header or by decoding, in every accepted format."""

from __future__ import annotations

import subprocess

import pytest

from keycraft.services.transcription.audio_duration import recording_duration_s
from tests.support.recordings import tone_wav

FORMATS = {
    ".mp3": ["-c:a", "libmp3lame", "-f", "mp3"],
    ".m4a": ["-c:a", "aac", "-f", "ipod", "-movflags", "frag_keyframe+empty_moov"],
    ".ogg": ["-c:a", "libvorbis", "-f", "ogg"],
    ".webm": ["-c:a", "libopus", "-f", "webm"],  # streamed: no duration in the header
    ".flac": ["-f", "flac"],  # streamed: the header says "unknown length"
}


def _encode(wav: bytes, args: list[str]) -> bytes:
    cmd = ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "wav", "-i", "pipe:0", *args]
    return subprocess.run([*cmd, "pipe:1"], input=wav, capture_output=True, check=True).stdout


def test_a_wav_is_measured_from_its_header() -> None:
    assert recording_duration_s(tone_wav(3.0), ".wav") == pytest.approx(3.0)


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_compressed_and_streamed_recordings_are_measured(suffix: str) -> None:
    encoded = _encode(tone_wav(3.0), FORMATS[suffix])
    # Encoders pad a frame or two; never less than what plays.
    assert recording_duration_s(encoded, suffix) == pytest.approx(3.0, abs=0.25)


def test_what_is_not_audio_has_no_length() -> None:
    assert recording_duration_s(b"hello, not a recording", ".wav") is None
    assert recording_duration_s(b"", ".webm") is None
