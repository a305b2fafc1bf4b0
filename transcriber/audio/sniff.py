"""Recognise common audio containers from their first bytes."""

from __future__ import annotations

from pathlib import Path

# Leading signatures of audio containers; a match means "audio, perhaps damaged".
_PREFIXES = (
    b"RIFF",  # WAV
    b"fLaC",  # FLAC
    b"OggS",  # Ogg Vorbis / Opus
    b"FORM",  # AIFF
    b"ID3",  # MP3 with ID3 tag
    b"\x1a\x45\xdf\xa3",  # Matroska / WebM
    b"#!AMR",
    b"caff",
)


def looks_like_audio(path: Path) -> bool:
    """Return True if the file starts with a known audio container signature."""
    with open(path, "rb") as f:
        head = f.read(16)
    if any(head.startswith(p) for p in _PREFIXES):
        return True
    # MP4 / M4A: a box size then "ftyp".
    if head[4:8] == b"ftyp":
        return True
    # Raw MPEG audio or ADTS AAC frame sync: 11 set bits.
    return len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0
