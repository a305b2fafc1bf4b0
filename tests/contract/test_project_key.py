"""Contract: the key a learner chose is kept with the project, apart from its notes."""

from dataclasses import replace
from datetime import timedelta

import pytest

from keycraft.services.errors import NotFound
from keycraft.services.project_settings import ProjectSettings
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_notes, make_project, make_user


def test_a_new_project_uses_the_estimated_key(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user))
    stored = repo.get_project(user.id, project.id)
    assert stored is not None and stored.key_name is None


def test_a_key_given_at_creation_round_trips(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(replace(make_project(user, notes=3), key_name="Db major"))
    assert repo.get_project(user.id, project.id) == project


def test_saving_the_key_changes_nothing_else_and_can_go_back_to_estimated(
    repo: Repository,
) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user, notes=12))
    repo.save_project_key(user.id, project.id, "F# minor")
    assert repo.get_project(user.id, project.id) == replace(project, key_name="F# minor")
    repo.save_project_key(user.id, project.id, None)
    assert repo.get_project(user.id, project.id) == project


def test_a_notes_save_and_a_settings_save_keep_the_key(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user, notes=3))
    repo.save_project_key(user.id, project.id, "Eb minor")
    # The editor's copy still has no key: saving its notes must not clear the learner's.
    edited = replace(project, notes=make_notes(8), updated_at=T0 + timedelta(minutes=5))
    repo.save_project(edited, expected_version=project.version)
    repo.save_project_settings(user.id, project.id, ProjectSettings(metronome=True))
    stored = repo.get_project(user.id, project.id)
    assert stored is not None
    assert stored.key_name == "Eb minor"
    assert stored.notes == edited.notes and stored.version == 2 and stored.settings.metronome


def test_the_key_of_a_missing_or_foreign_project_is_not_found(repo: Repository) -> None:
    owner = repo.create_user(make_user())
    stranger = repo.create_user(make_user())
    project = repo.create_project(make_project(owner))
    with pytest.raises(NotFound):
        repo.save_project_key(stranger.id, project.id, "D major")
    with pytest.raises(NotFound):
        repo.save_project_key(owner.id, "0" * 32, None)
    stored = repo.get_project(owner.id, project.id)
    assert stored is not None and stored.key_name is None
    repo.delete_project(owner.id, project.id)
    with pytest.raises(NotFound):
        repo.save_project_key(owner.id, project.id, "D major")
