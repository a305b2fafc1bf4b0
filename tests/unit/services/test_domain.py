"""Notes and tracked beats pack compactly and unpack to the same values."""

import copy
import pickle

from keycraft.services.domain import (
    BeatTrack,
    Note,
    TimeSignature,
    TrackedBeat,
    decode_beat_track,
    decode_notes,
    encode_beat_track,
    encode_notes,
)
from tests.support.factories import make_notes


def test_notes_round_trip() -> None:
    notes = make_notes(500)
    assert decode_notes(encode_notes(notes)) == notes


def test_empty_blob_is_no_notes() -> None:
    assert decode_notes(b"") == ()
    assert decode_notes(encode_notes(())) == ()


def test_three_thousand_notes_fit_well_under_a_dynamodb_item() -> None:
    notes = tuple(Note(i * 97, 120 + i % 480, 21 + (i * 7) % 88, 30 + i % 90) for i in range(3000))
    assert len(encode_notes(notes)) < 100_000


def test_a_beat_track_packs_small_and_none_packs_to_nothing() -> None:
    track = BeatTrack(
        (TrackedBeat(0.5123, True), TrackedBeat(1.0, False)),
        TimeSignature(6, 8),
        first_downbeat_index=1,
        follow=False,
    )
    assert decode_beat_track(encode_beat_track(track)) == track
    assert encode_beat_track(BeatTrack()) == ""
    assert decode_beat_track("") == decode_beat_track(None) == BeatTrack()


def test_a_project_pickles_whole_with_its_notes_packed() -> None:
    # Reflex pickles the open editor's state; every field must come back, notes in order.
    from dataclasses import replace

    from keycraft.services.domain import PedalSpan, TempoChange
    from tests.support.factories import make_project, make_user

    project = replace(
        make_project(make_user(), title="Nocturne"),
        notes=make_notes(2000),
        tempo_changes=(TempoChange(1920, 72.5),),
        time_signature=TimeSignature(3, 4),
        pedals=(PedalSpan(0, 960),),
        beat_track=BeatTrack(
            (TrackedBeat(0.5, True), TrackedBeat(1.1, False)), TimeSignature(3, 4), 1, False
        ),
        key_name="F# major",
        version=7,
    )
    blob = pickle.dumps(project)
    assert pickle.loads(blob) == project
    assert len(blob) < 40 * len(project.notes)  # 32 bytes a note, not an object each
    assert copy.deepcopy(project) == project
