"""Contract: projects are private to their owner and saved with optimistic versions."""

from dataclasses import replace
from datetime import timedelta

import pytest

from keycraft.services.domain import (
    BeatTrack,
    PedalSpan,
    TempoChange,
    TimeSignature,
    TimeSignatureChange,
    TrackedBeat,
)
from keycraft.services.errors import Conflict, NotFound
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_notes, make_project, make_user


def test_project_round_trip(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = replace(
        make_project(user, notes=5),
        tempo_bpm=96.5,
        time_signature=TimeSignature(3, 4),
        source_audio_key=f"users/{user.id}/audio/take.wav",
    )
    repo.create_project(project)
    assert repo.get_project(user.id, project.id) == project


def test_other_users_cannot_read_a_project(repo: Repository) -> None:
    owner = repo.create_user(make_user())
    stranger = repo.create_user(make_user())
    project = repo.create_project(make_project(owner))
    assert repo.get_project(stranger.id, project.id) is None
    assert repo.list_projects(stranger.id) == []


def test_list_is_newest_first_with_note_counts(repo: Repository) -> None:
    user = repo.create_user(make_user())
    older = repo.create_project(make_project(user, "Older", notes=2))
    newer = repo.create_project(
        replace(make_project(user, "Newer", notes=7), updated_at=T0 + timedelta(hours=1))
    )
    listed = repo.list_projects(user.id)
    assert [(p.id, p.title, p.note_count) for p in listed] == [
        (newer.id, "Newer", 7),
        (older.id, "Older", 2),
    ]


def test_save_bumps_version_and_rejects_stale_writes(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user))
    edited = replace(project, title="Edited", notes=make_notes(9), updated_at=T0 + timedelta(1))
    saved = repo.save_project(edited, expected_version=1)
    assert saved.version == 2
    assert repo.get_project(user.id, project.id) == saved
    assert saved.created_at == project.created_at
    with pytest.raises(Conflict):
        repo.save_project(replace(edited, title="Stale"), expected_version=1)
    assert repo.get_project(user.id, project.id) == saved


def test_a_save_gives_an_empty_project_its_recording_and_notes(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user, notes=0))
    key = f"users/{user.id}/projects/{project.id}/source.wav"
    filled = replace(project, notes=make_notes(4), source_audio_key=key)
    saved = repo.save_project(filled, expected_version=1)
    stored = repo.get_project(user.id, project.id)
    assert stored == saved
    assert stored is not None and (stored.source_audio_key, len(stored.notes)) == (key, 4)


def test_save_of_a_deleted_project_is_not_found(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user))
    repo.delete_project(user.id, project.id)
    repo.delete_project(user.id, project.id)
    with pytest.raises(NotFound):
        repo.save_project(project, expected_version=1)


def test_three_thousand_notes_survive_a_round_trip(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = replace(make_project(user), notes=make_notes(3000))
    repo.create_project(project)
    loaded = repo.get_project(user.id, project.id)
    assert loaded is not None
    assert loaded.notes == project.notes


def test_tempo_and_time_signature_changes_round_trip(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = replace(
        make_project(user),
        tempo_bpm=100.0,
        time_signature=TimeSignature(3, 4),
        tempo_changes=(TempoChange(1440, 75.5), TempoChange(2880, 150.0), TempoChange(5760, 96.25)),
        time_signature_changes=(TimeSignatureChange(2880, 4, 4), TimeSignatureChange(9600, 6, 8)),
    )
    repo.create_project(project)
    assert repo.get_project(user.id, project.id) == project
    edited = replace(
        project,
        tempo_changes=(TempoChange(960, 60.0),),
        time_signature_changes=(),
        updated_at=T0 + timedelta(1),
    )
    saved = repo.save_project(edited, expected_version=1)
    assert repo.get_project(user.id, project.id) == saved
    assert saved.tempo_changes == (TempoChange(960, 60.0),)
    assert saved.time_signature_changes == ()


def test_a_project_without_changes_has_empty_maps(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user))
    loaded = repo.get_project(user.id, project.id)
    assert loaded is not None
    assert (loaded.tempo_changes, loaded.time_signature_changes) == ((), ())
    assert loaded.tempo_map == (TempoChange(0, 120.0),)
    assert loaded.time_signature_map == (TimeSignatureChange(0, 4, 4),)


def test_two_thousand_changes_and_three_thousand_notes_round_trip(repo: Repository) -> None:
    user = repo.create_user(make_user())
    tempos = tuple(TempoChange(480 * (i + 1), 40.0 + (i % 3000) / 10) for i in range(2000))
    signatures = tuple(
        TimeSignatureChange(1920 * (i + 1), 2 + i % 11, (4, 8)[i % 2]) for i in range(2000)
    )
    project = replace(
        make_project(user),
        notes=make_notes(3000),
        tempo_changes=tempos,
        time_signature_changes=signatures,
    )
    repo.create_project(project)
    assert repo.get_project(user.id, project.id) == project
    assert repo.list_projects(user.id)[0].note_count == 3000


def test_pedal_spans_round_trip_and_survive_a_notes_save(repo: Repository) -> None:
    user = repo.create_user(make_user())
    pedals = tuple(PedalSpan(960 * i, 960 * i + 900) for i in range(5000))
    project = replace(make_project(user, notes=4), pedals=pedals)
    repo.create_project(project)
    assert repo.get_project(user.id, project.id) == project
    # A notes save that carries the project keeps its pedal; one that changes it stores that.
    saved = repo.save_project(
        replace(project, notes=make_notes(2), updated_at=T0 + timedelta(1)), expected_version=1
    )
    assert repo.get_project(user.id, project.id) == saved
    assert saved.pedals == pedals
    cleared = repo.save_project(replace(saved, pedals=()), expected_version=saved.version)
    loaded = repo.get_project(user.id, project.id)
    assert loaded == cleared and loaded is not None and loaded.pedals == ()


def test_tracked_beats_round_trip_and_follow_the_learners_reading(repo: Repository) -> None:
    user = repo.create_user(make_user())
    # Stored to 0.1 ms, as the transcriber reports them.
    beats = tuple(TrackedBeat(round(0.5123 + 0.48 * i, 4), i % 3 == 1) for i in range(1500))
    track = BeatTrack(beats, TimeSignature(3, 4), first_downbeat_index=1, follow=True)
    project = replace(make_project(user, notes=4), beat_track=track)
    repo.create_project(project)
    assert repo.get_project(user.id, project.id) == project
    # A save carrying a new reading (metre, first downbeat, one tempo) stores it whole.
    reread = replace(track, meter=TimeSignature(6, 8), first_downbeat_index=4, follow=False)
    saved = repo.save_project(
        replace(project, beat_track=reread, updated_at=T0 + timedelta(1)), expected_version=1
    )
    loaded = repo.get_project(user.id, project.id)
    assert loaded == saved and loaded is not None and loaded.beat_track == reread
    cleared = repo.save_project(replace(saved, beat_track=BeatTrack()), saved.version)
    assert repo.get_project(user.id, project.id) == cleared
    assert cleared.beat_track.beats == ()
