"""Audio → MIDI use cases: check uploads, turn the service's seconds into ticks, store audio."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from keycraft.services.domain import Note, TempoChange
from keycraft.services.errors import DomainError
from keycraft.services.notes.timing import seconds_to_tick
from keycraft.services.projects import project_media_prefix
from keycraft.services.transcriber_client import TranscribedNote

MAX_AUDIO_BYTES = 100 * 1024 * 1024
"""Largest recording accepted (100 MB)."""

AUDIO_TYPES: dict[str, str] = {
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".flac": "audio/flac",
    ".ogg": "audio/ogg",
    ".m4a": "audio/mp4",
    ".webm": "audio/webm",
}
"""Accepted file suffixes and the content type sent for each."""


class UnsupportedAudioFile(DomainError):
    """The upload's name does not end in a supported audio suffix."""


class AudioFileTooLarge(DomainError):
    """The upload is over ``MAX_AUDIO_BYTES``."""


class EmptyAudioFile(DomainError):
    """The upload has no bytes."""


@dataclass(frozen=True, slots=True)
class AudioUpload:
    """A checked recording, ready to store and send to the transcriber."""

    project_id: str
    storage_key: str
    filename: str
    suffix: str
    content_type: str
    title: str


def check_audio(user_id: str, filename: str, size_bytes: int) -> AudioUpload:
    """Validate an upload's name and size and choose where it will be stored.

    Raises:
        UnsupportedAudioFile, AudioFileTooLarge, EmptyAudioFile.
    """
    name = PurePosixPath(filename.replace("\\", "/")).name or "recording"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in AUDIO_TYPES:
        raise UnsupportedAudioFile(suffix)
    if size_bytes > MAX_AUDIO_BYTES:
        raise AudioFileTooLarge(str(size_bytes))
    if size_bytes == 0:
        raise EmptyAudioFile(name)
    project_id = uuid.uuid4().hex
    stem = PurePosixPath(name).stem.strip() or "Recording"
    return AudioUpload(
        project_id=project_id,
        storage_key=f"{project_media_prefix(user_id, project_id)}source{suffix}",
        filename=name,
        suffix=suffix,
        content_type=AUDIO_TYPES[suffix],
        title=stem[:120],
    )


def notes_from_transcription(
    notes: Iterable[TranscribedNote],
    tempo_bpm: float,
    *,
    tempo_changes: Sequence[TempoChange] = (),
) -> list[Note]:
    """Place the service's notes on the tick grid at ``tempo_bpm`` (then ``tempo_changes``).

    The recording plays in real seconds beside the notes, so a piece with tempo changes
    places each note at the tick that the tempo map plays at that second.
    Out-of-range values are clamped (pitch 0–127, velocity 1–127); every note lasts at
    least one tick.
    """
    tempo_map = (TempoChange(0, tempo_bpm), *tempo_changes)
    placed = []
    for n in notes:
        start = max(0, round(seconds_to_tick(max(0.0, n.start_s), tempo_map)))
        end = round(seconds_to_tick(max(n.end_s, n.start_s), tempo_map))
        placed.append(
            Note(
                start_tick=start,
                duration_ticks=max(1, end - start),
                pitch_midi=min(127, max(0, n.pitch_midi)),
                velocity=min(127, max(1, n.velocity)),
            )
        )
    return sorted(placed, key=lambda n: (n.start_tick, n.pitch_midi))
