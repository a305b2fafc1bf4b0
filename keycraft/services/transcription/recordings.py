"""Audio → MIDI use cases: check uploads, turn the service's seconds into ticks, store audio."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from keycraft.services.domain import Note, PedalSpan, TempoChange
from keycraft.services.errors import DomainError
from keycraft.services.notes.pedal import merge_spans
from keycraft.services.notes.timing import seconds_to_tick
from keycraft.services.projects import project_media_prefix
from keycraft.services.storage.keys import TEMP_PREFIX, temp_upload_key
from keycraft.services.storage.port import Storage
from keycraft.services.transcription.client import TranscribedNote, TranscribedPedal

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


def check_audio(
    user_id: str, filename: str, size_bytes: int, *, staged: bool = False
) -> AudioUpload:
    """Validate an upload's name and size and choose where it will be stored.

    By default the upload goes straight where a new project's recording lives. A
    ``staged`` upload (one that may end in the open project or in a new one, as the user
    chooses) goes to the temporary prefix, which is purged by age if it is never placed.

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
        storage_key=temp_upload_key(project_id, f"source{suffix}")
        if staged
        else recording_key(user_id, project_id, suffix),
        filename=name,
        suffix=suffix,
        content_type=AUDIO_TYPES[suffix],
        title=stem[:120],
    )


def recording_key(user_id: str, project_id: str, suffix: str) -> str:
    """Where a project's recording is stored (``suffix`` such as ``.wav``)."""
    return f"{project_media_prefix(user_id, project_id)}source{suffix}"


def place_recording(
    storage: Storage, audio: bytes, from_key: str, user_id: str, project_id: str
) -> str:
    """Make ``audio`` (stored at ``from_key``) the recording of the project; return its key.

    A staged upload is written to the project's place and its temporary copy removed; an
    upload already in place is left as it is.

    Raises:
        StorageUnavailable: the store refused the write.
    """
    key = recording_key(user_id, project_id, PurePosixPath(from_key).suffix.lower())
    if key == from_key:
        return key
    storage.put(key, audio, AUDIO_TYPES.get(PurePosixPath(key).suffix, "audio/wav"))
    forget_staged(storage, from_key)
    return key


def forget_staged(storage: Storage, key: str) -> None:
    """Delete a staged upload now (the age-based purge would otherwise take it later)."""
    if not key.startswith(TEMP_PREFIX):
        return
    try:
        storage.delete_prefix(key)
    except DomainError:
        return  # the purge removes it by age; the user's outcome is unchanged


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


def pedals_from_transcription(
    pedals: Iterable[TranscribedPedal],
    tempo_bpm: float,
    *,
    tempo_changes: Sequence[TempoChange] = (),
) -> tuple[PedalSpan, ...]:
    """Place the service's sustain-pedal spans on the tick grid, as the notes are placed.

    Spans that last no tick once placed are dropped and any that overlap are joined, so the
    result can be stored as it is (``check_pedals``).
    """
    tempo_map = (TempoChange(0, tempo_bpm), *tempo_changes)
    placed = [
        PedalSpan(
            start_tick=max(0, round(seconds_to_tick(max(0.0, p.start_s), tempo_map))),
            end_tick=max(0, round(seconds_to_tick(max(0.0, p.end_s), tempo_map))),
        )
        for p in pedals
    ]
    return merge_spans(placed)
