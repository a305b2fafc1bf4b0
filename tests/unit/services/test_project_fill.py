"""Filling a project from a file: when to ask, titles from file names, checked maps."""

import pytest

from keycraft.services import project_fill, projects
from keycraft.services.domain import Note, TempoChange, TimeSignature, TimeSignatureChange
from keycraft.services.notes.edits import MAX_NOTES
from keycraft.services.notes.midi_io import ImportedMidi
from tests.support.factories import make_project, make_user


def _imported(**fields: object) -> ImportedMidi:
    values: dict[str, object] = {
        "notes": (Note(0, 480, 60, 90),),
        "tempo_bpm": 96.0,
        "time_signature": TimeSignature(3, 4),
        "tempo_changes": (TempoChange(1440, 72.0),),
        "track_count": 1,
        "time_signature_changes": (TimeSignatureChange(2880, 4, 4),),
    }
    return ImportedMidi(**(values | fields))  # type: ignore[arg-type]


def test_only_a_project_with_notes_asks_first() -> None:
    assert not project_fill.needs_choice(0)
    assert project_fill.needs_choice(1)


@pytest.mark.parametrize(
    ("filename", "title"),
    [
        ("Nocturne – Op.9 月光.mid", "Nocturne – Op.9 月光"),
        ("C:\\scores\\Für Elise.MID", "Für Elise"),
        ("  spaced   out .mid", "spaced out"),
        (".mid", "Imported MIDI"),
        ("", "Imported MIDI"),
        ("x" * 300 + ".mid", "x" * projects.MAX_TITLE_CHARS),
    ],
)
def test_a_new_project_is_titled_after_its_file(filename: str, title: str) -> None:
    assert project_fill.title_from_filename(filename, "Imported MIDI") == title


def test_the_files_maps_replace_the_projects_after_being_checked() -> None:
    project = make_project(make_user())
    timed = project_fill.with_imported_maps(project, _imported())
    assert (timed.tempo_bpm, timed.time_signature) == (96.0, TimeSignature(3, 4))
    assert timed.tempo_changes == (TempoChange(1440, 72.0),)
    assert timed.time_signature_changes == (TimeSignatureChange(2880, 4, 4),)
    assert (timed.id, timed.title, timed.notes) == (project.id, project.title, project.notes)
    with pytest.raises(projects.InvalidTempo):
        project_fill.with_imported_maps(project, _imported(tempo_bpm=900.0))


def test_a_file_with_more_notes_than_a_project_holds_is_refused() -> None:
    project = make_project(make_user())
    full = tuple(Note(i * 10, 10, 60, 90) for i in range(MAX_NOTES))
    assert project_fill.with_imported_maps(project, _imported(notes=full)).id == project.id
    with pytest.raises(project_fill.TooManyImportedNotes):
        project_fill.with_imported_maps(project, _imported(notes=(*full, Note(0, 10, 61, 90))))
