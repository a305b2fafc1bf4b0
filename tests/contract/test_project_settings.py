"""Contract: a project's practice and view settings are kept apart from its notes."""

from dataclasses import replace
from datetime import timedelta

import pytest

from keycraft.services.errors import NotFound
from keycraft.services.project_settings import ProjectSettings
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_notes, make_project, make_user

PRACTICE = ProjectSettings(
    loop_enabled=True,
    loop_start_tick=1920,
    loop_end_tick=5760,
    metronome=True,
    practice_speed_percent=65,
    px_per_beat=150.0,
    key_height_px=18.5,
    snap="1/8T",
    show_note_names=True,
    volume_db=-12.0,
    midi_muted=False,
    audio_muted=True,
)


def test_a_new_project_has_the_default_settings(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user))
    stored = repo.get_project(user.id, project.id)
    assert stored is not None and stored.settings == ProjectSettings()


def test_settings_given_at_creation_round_trip(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(replace(make_project(user), settings=PRACTICE))
    assert repo.get_project(user.id, project.id) == project


def test_saving_settings_changes_nothing_else(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user, notes=12))
    repo.save_project_settings(user.id, project.id, PRACTICE)
    stored = repo.get_project(user.id, project.id)
    assert stored == replace(project, settings=PRACTICE)
    assert stored.version == project.version  # no conflict with a notes save in flight


def test_a_notes_save_keeps_settings_saved_meanwhile(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user, notes=3))
    repo.save_project_settings(user.id, project.id, PRACTICE)
    # The editor's copy still holds the old settings: the notes save must not restore them.
    edited = replace(project, notes=make_notes(8), updated_at=T0 + timedelta(minutes=5))
    saved = repo.save_project(edited, expected_version=project.version)
    stored = repo.get_project(user.id, project.id)
    assert stored is not None
    assert stored.settings == PRACTICE
    assert stored.notes == edited.notes and stored.version == saved.version == 2
    assert [p.note_count for p in repo.list_projects(user.id)] == [8]


def test_settings_of_a_missing_or_foreign_project_are_not_found(repo: Repository) -> None:
    owner = repo.create_user(make_user())
    stranger = repo.create_user(make_user())
    project = repo.create_project(make_project(owner))
    with pytest.raises(NotFound):
        repo.save_project_settings(stranger.id, project.id, PRACTICE)
    with pytest.raises(NotFound):
        repo.save_project_settings(owner.id, "0" * 32, PRACTICE)
    stored = repo.get_project(owner.id, project.id)
    assert stored is not None and stored.settings == ProjectSettings()
    repo.delete_project(owner.id, project.id)
    with pytest.raises(NotFound):
        repo.save_project_settings(owner.id, project.id, PRACTICE)
