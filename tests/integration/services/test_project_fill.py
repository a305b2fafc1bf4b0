"""New projects from MIDI files, and filling a saved project, on a migrated SQLite database."""

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from keycraft.config import Settings
from keycraft.manage import migrate
from keycraft.services import project_fill
from keycraft.services.domain import Note, TempoChange, TimeSignature
from keycraft.services.errors import NotFound
from keycraft.services.notes.edits import MAX_NOTES
from keycraft.services.notes.midi_io import export_midi, import_midi
from keycraft.services.repository.port import Repository
from keycraft.services.repository.sql.base import make_engine
from keycraft.services.repository.sql.repository import SqlModelRepository
from tests.support.factories import T0, make_project, make_user


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    url = f"sqlite:///{tmp_path / 'fill.db'}"
    migrate(Settings(REPOSITORY="sqlmodel", DATABASE_URL=url))
    engine = make_engine(url)
    yield SqlModelRepository(engine)
    engine.dispose()


def test_a_midi_file_becomes_a_new_project_with_its_tempo_and_metre(repo: Repository) -> None:
    user = repo.create_user(make_user())
    notes = (Note(0, 480, 60, 90), Note(960, 240, 67, 80))
    data = export_midi(notes, 84.0, TimeSignature(6, 8), tempo_changes=(TempoChange(1920, 70.0),))
    created = project_fill.create_from_midi(repo, user.id, "月光", import_midi(data), T0)
    stored = repo.get_project(user.id, created.id)
    assert stored is not None
    assert (stored.title, set(stored.notes)) == ("月光", set(notes))
    assert (stored.tempo_bpm, stored.time_signature) == (84.0, TimeSignature(6, 8))
    assert stored.tempo_changes == (TempoChange(1920, 70.0),)


def test_a_file_with_more_notes_than_a_project_holds_stores_nothing(repo: Repository) -> None:
    user = repo.create_user(make_user())
    notes = tuple(Note(i * 10, 10, 60, 90) for i in range(MAX_NOTES + 1))
    imported = replace(import_midi(export_midi(notes[:1], 120.0, TimeSignature())), notes=notes)
    with pytest.raises(project_fill.TooManyImportedNotes):
        project_fill.create_from_midi(repo, user.id, "Too many", imported, T0)
    assert repo.list_projects(user.id) == []


def test_a_saved_project_is_filled_with_notes_and_its_recording(repo: Repository) -> None:
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user, notes=0))
    key = f"users/{user.id}/projects/{project.id}/source.wav"
    notes = [Note(0, 480, 60, 90)]
    project_fill.fill_saved_project(repo, user.id, project.id, notes, T0, source_audio_key=key)
    stored = repo.get_project(user.id, project.id)
    assert stored is not None
    assert (stored.notes, stored.source_audio_key, stored.version) == (tuple(notes), key, 2)
    with pytest.raises(NotFound):
        project_fill.fill_saved_project(repo, user.id, "gone", notes, T0, source_audio_key=key)
