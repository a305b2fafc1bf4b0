"""The key a project is shown in: the learner's choice over the estimate; choices checked."""

from dataclasses import replace
from unittest.mock import Mock

import pytest

from keycraft.services.domain import Note, Project
from keycraft.services.notes.key import C_MAJOR, MusicalKey, pitch_class_weights
from keycraft.services.project_key import ProjectKey, UnknownKey, save_key
from keycraft.services.project_key import project_key as key_of
from tests.support.factories import make_project, make_user

D_MAJOR_SCALE = (62, 64, 66, 67, 69, 71, 73, 74)


def _d_major_project() -> Project:
    notes = tuple(Note(i * 480, 480, p, 80) for i, p in enumerate(D_MAJOR_SCALE))
    notes += (Note(0, 480 * 8, 50, 70), Note(0, 480 * 8, 57, 70))
    return replace(make_project(make_user()), notes=notes)


def project_key(project: Project) -> ProjectKey:
    """The key ``project`` is shown in, from its stored choice and all its notes."""
    weights = pitch_class_weights(
        (n.pitch_midi, n.duration_ticks, n.velocity) for n in project.notes
    )
    return key_of(project.key_name, weights)


def test_the_estimate_is_shown_until_the_learner_chooses() -> None:
    project = _d_major_project()
    shown = project_key(project)
    assert shown.key == shown.estimated == MusicalKey(2, "major") and not shown.chosen
    chosen = project_key(replace(project, key_name="B minor"))
    assert chosen.key == MusicalKey(11, "minor") and chosen.chosen
    assert chosen.estimated == MusicalKey(2, "major")


def test_an_empty_project_reads_in_c_major_and_a_bad_stored_name_is_no_choice() -> None:
    empty = replace(make_project(make_user()), notes=(), key_name="H dorian")
    assert project_key(empty).key == C_MAJOR and not project_key(empty).chosen


def test_save_key_stores_the_key_id_or_none() -> None:
    repo = Mock()
    assert save_key(repo, "u", "p", "D♭ major") == MusicalKey(1, "major")
    repo.save_project_key.assert_called_with("u", "p", "Db major")
    assert save_key(repo, "u", "p", None) is None
    repo.save_project_key.assert_called_with("u", "p", None)


def test_save_key_refuses_an_unknown_key() -> None:
    repo = Mock()
    with pytest.raises(UnknownKey):
        save_key(repo, "u", "p", "D lydian")
    repo.save_project_key.assert_not_called()
