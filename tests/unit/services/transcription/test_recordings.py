"""Upload checks and placing transcribed seconds onto ticks."""

from pathlib import Path

import pytest

from keycraft.services.domain import Note, PedalSpan, TempoChange
from keycraft.services.errors import NotFound
from keycraft.services.storage.keys import TEMP_PREFIX
from keycraft.services.storage.local import LocalStorage
from keycraft.services.transcription.client import (
    TranscribedNote,
    TranscribedPedal,
    TranscriptionOptions,
)
from keycraft.services.transcription.recordings import (
    MAX_AUDIO_BYTES,
    AudioFileTooLarge,
    EmptyAudioFile,
    UnsupportedAudioFile,
    check_audio,
    forget_staged,
    notes_from_transcription,
    pedals_from_transcription,
    place_recording,
    recording_key,
)


def test_a_staged_upload_waits_under_the_temporary_prefix(tmp_path: Path) -> None:
    upload = check_audio("u1", "Nocturne – Op.9 月光.WAV", 1000, staged=True)
    assert upload.storage_key == f"{TEMP_PREFIX}{upload.project_id}/source.wav"
    assert upload.title == "Nocturne – Op.9 月光"
    storage = LocalStorage(tmp_path)
    storage.put(upload.storage_key, b"RIFF", upload.content_type)

    key = place_recording(storage, b"RIFF", upload.storage_key, "u1", "p1")
    assert key == recording_key("u1", "p1", ".wav") == "users/u1/projects/p1/source.wav"
    assert storage.get(key) == b"RIFF"
    with pytest.raises(NotFound):
        storage.get(upload.storage_key)  # the staged copy is gone


def test_a_recording_already_in_place_stays_where_it_is(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    key = recording_key("u1", "p1", ".mp3")
    storage.put(key, b"ID3", "audio/mpeg")
    assert place_recording(storage, b"ID3", key, "u1", "p1") == key
    forget_staged(storage, key)  # only staged uploads are ever forgotten this way
    assert storage.get(key) == b"ID3"


def test_accepted_audio_gets_a_per_user_project_key() -> None:
    upload = check_audio("u1", "C:\\music\\Nocturne Op.9.FLAC", 1000)
    assert upload.suffix == ".flac"
    assert upload.content_type == "audio/flac"
    assert upload.title == "Nocturne Op.9"
    assert upload.storage_key == f"users/u1/projects/{upload.project_id}/source.flac"


def test_a_browser_recording_in_webm_is_accepted() -> None:
    upload = check_audio("u1", "Recording 2026-12-06 11.20.webm", 1000)
    assert upload.content_type == "audio/webm"
    assert upload.title == "Recording 2026-12-06 11.20"
    assert upload.storage_key.endswith("/source.webm")


@pytest.mark.parametrize(
    ("name", "size", "error"),
    [
        ("song.mid", 10, UnsupportedAudioFile),
        ("song", 10, UnsupportedAudioFile),
        ("song.wav", MAX_AUDIO_BYTES + 1, AudioFileTooLarge),
        ("song.m4a", 0, EmptyAudioFile),
    ],
)
def test_other_uploads_are_refused(name: str, size: int, error: type[Exception]) -> None:
    with pytest.raises(error):
        check_audio("u1", name, size)


def test_seconds_become_ticks_and_values_are_clamped() -> None:
    notes = notes_from_transcription(
        [
            TranscribedNote(1.0, 1.5, 64, 200),
            TranscribedNote(-0.1, 0.0, 130, 0),
        ],
        tempo_bpm=60,
    )
    assert notes == [Note(0, 1, 127, 1), Note(480, 240, 64, 127)]


def test_seconds_become_ticks_through_the_projects_tempo_changes() -> None:
    # 60 BPM for the first two beats (2 s), then 120 BPM: 3 s is one more beat.
    notes = notes_from_transcription(
        [TranscribedNote(1.0, 2.0, 60, 80), TranscribedNote(2.5, 3.0, 62, 80)],
        tempo_bpm=60,
        tempo_changes=(TempoChange(960, 120.0),),
    )
    assert notes == [Note(480, 480, 60, 80), Note(1440, 480, 62, 80)]


def test_pedal_seconds_become_ticks_through_the_tempo_map_like_notes() -> None:
    # 60 BPM for two beats (2 s), then 120 BPM: 480 ticks a second, then 960.
    pedals = pedals_from_transcription(
        [TranscribedPedal(2.5, 3.0), TranscribedPedal(0.5, 1.9), TranscribedPedal(-0.2, 0.1)],
        tempo_bpm=60,
        tempo_changes=(TempoChange(960, 120.0),),
    )
    assert pedals == (PedalSpan(0, 48), PedalSpan(240, 912), PedalSpan(1440, 1920))


def test_placed_pedal_spans_can_be_stored_as_they_are() -> None:
    pedals = pedals_from_transcription(
        [
            TranscribedPedal(1.0, 2.0),
            TranscribedPedal(1.9, 2.5),  # overlaps: joined
            TranscribedPedal(3.0, 3.0005),  # shorter than a tick: dropped
            TranscribedPedal(2.5, 3.0),  # touches: a re-pedal, kept apart
        ],
        tempo_bpm=60,
    )
    assert pedals == (PedalSpan(480, 1200), PedalSpan(1200, 1440))


def test_options_only_send_what_is_set() -> None:
    assert TranscriptionOptions().form_fields() == {"model": "basic-pitch", "pitch_bends": "false"}
    fields = TranscriptionOptions(
        frame_threshold=0.25, max_freq_hz=4186.0, tempo_bpm=90
    ).form_fields()
    assert fields["frame_threshold"] == "0.25"
    assert fields["max_freq_hz"] == "4186"
    assert fields["tempo_bpm"] == "90"
