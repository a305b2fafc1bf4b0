"""Contract: an editor save stores only the note chunks it touched, version-checked."""

from dataclasses import replace
from datetime import timedelta

import pytest

from keycraft.services.domain import Note, PedalSpan, Project, TempoChange
from keycraft.services.errors import Conflict, NotFound
from keycraft.services.note_chunks import (
    MAX_OVERLAY_CHUNKS,
    NOTE_CHUNK_TICKS,
    NoteChunksEdit,
    chunk_index,
    note_order,
    split_chunks,
)
from keycraft.services.project_settings import ProjectSettings
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_notes, make_project, make_user


def _edit(notes: tuple[Note, ...], touched: set[int], content: bool = False) -> NoteChunksEdit:
    """The edit a session would send: every note now in each touched chunk."""
    chunks = split_chunks(notes)
    return NoteChunksEdit(
        tuple((i, chunks.get(i, ())) for i in sorted(touched)), len(notes), content
    )


def _stored(repo: Repository, notes: int = 600) -> Project:
    user = repo.create_user(make_user())
    # 600 notes an eighth apart span 72,000 ticks: ten chunks.
    return repo.create_project(make_project(user, notes=notes))


def _later(project: Project, notes: tuple[Note, ...]) -> Project:
    return replace(project, notes=notes, updated_at=project.updated_at + timedelta(minutes=1))


def test_an_edit_save_changes_only_its_chunks_and_reloads_whole(repo: Repository) -> None:
    project = _stored(repo)
    moved = replace(project.notes[10], pitch_midi=100)
    notes = (*project.notes[:10], moved, *project.notes[11:-1])  # one moved, the last removed
    touched = {chunk_index(moved), chunk_index(project.notes[-1])}
    saved = repo.save_project_edit(_later(project, notes), 1, _edit(notes, touched))
    assert saved.version == 2
    reloaded = repo.get_project(project.user_id, project.id)
    assert reloaded is not None
    assert reloaded.notes == tuple(sorted(notes, key=note_order))
    assert reloaded.version == 2
    assert reloaded.updated_at == saved.updated_at
    assert repo.list_projects(project.user_id)[0].note_count == len(notes)


def test_a_stale_edit_save_conflicts_and_writes_nothing(repo: Repository) -> None:
    project = _stored(repo)
    notes = project.notes[1:]
    repo.save_project_edit(_later(project, notes), 1, _edit(notes, {0}))
    other = (*project.notes, Note(NOTE_CHUNK_TICKS * 3, 240, 60, 80))
    with pytest.raises(Conflict):
        repo.save_project_edit(_later(project, other), 1, _edit(other, {0, 3}))
    reloaded = repo.get_project(project.user_id, project.id)
    assert reloaded is not None and reloaded.notes == notes and reloaded.version == 2


def test_an_edit_save_of_a_deleted_project_is_not_found(repo: Repository) -> None:
    project = _stored(repo, notes=3)
    repo.delete_project(project.user_id, project.id)
    with pytest.raises(NotFound):
        repo.save_project_edit(project, 1, _edit(project.notes[1:], {0}))


def test_the_pedal_and_maps_are_written_only_when_changed(repo: Repository) -> None:
    project = repo.create_project(
        replace(_stored(repo, notes=0), id="f" * 32, pedals=(PedalSpan(0, 480),))
    )
    changed = replace(
        project, pedals=(PedalSpan(0, 960),), tempo_changes=(TempoChange(1920, 90.0),)
    )
    repo.save_project_edit(changed, 1, _edit((), set(), content=False))
    kept = repo.get_project(project.user_id, project.id)
    assert kept is not None and kept.pedals == project.pedals and kept.tempo_changes == ()
    repo.save_project_edit(replace(changed, title="Renamed"), 2, _edit((), set(), True))
    written = repo.get_project(project.user_id, project.id)
    assert written is not None
    assert (written.title, written.pedals, written.tempo_changes) == (
        "Renamed",
        changed.pedals,
        changed.tempo_changes,
    )


def test_settings_and_key_survive_an_edit_save(repo: Repository) -> None:
    project = _stored(repo, notes=3)
    settings = replace(ProjectSettings(), metronome=True)
    repo.save_project_settings(project.user_id, project.id, settings)
    repo.save_project_key(project.user_id, project.id, "F# major")
    repo.save_project_edit(project, 1, _edit(project.notes[:2], {0}))
    reloaded = repo.get_project(project.user_id, project.id)
    assert reloaded is not None
    assert (reloaded.settings, reloaded.key_name) == (settings, "F# major")


def test_edits_over_many_chunks_are_folded_and_nothing_is_lost(repo: Repository) -> None:
    user = repo.create_user(make_user())
    spread = tuple(Note(i * NOTE_CHUNK_TICKS + 100, 240, 40 + i % 40, 70) for i in range(80))
    project = repo.create_project(replace(make_project(user, notes=0), notes=spread))
    notes = spread
    for version, index in enumerate(range(MAX_OVERLAY_CHUNKS + 12), start=1):
        moved = replace(notes[index], pitch_midi=notes[index].pitch_midi + 1)
        notes = (*notes[:index], moved, *notes[index + 1 :])
        repo.save_project_edit(_later(project, notes), version, _edit(notes, {index}))
    reloaded = repo.get_project(user.id, project.id)
    assert reloaded is not None
    assert reloaded.notes == notes
    assert reloaded.version == MAX_OVERLAY_CHUNKS + 13


def test_a_whole_save_after_edit_saves_holds_exactly_its_notes(repo: Repository) -> None:
    project = _stored(repo)
    edited = project.notes[5:]
    repo.save_project_edit(_later(project, edited), 1, _edit(edited, {0}))
    whole = make_notes(4)
    repo.save_project(replace(project, notes=whole), expected_version=2)
    reloaded = repo.get_project(project.user_id, project.id)
    assert reloaded is not None and reloaded.notes == whole and reloaded.version == 3


def test_a_project_deleted_after_edit_saves_is_gone(repo: Repository) -> None:
    project = _stored(repo)
    notes = project.notes[:-1]
    repo.save_project_edit(_later(project, notes), 1, _edit(notes, {9}))
    repo.delete_project(project.user_id, project.id)
    assert repo.get_project(project.user_id, project.id) is None
    again = repo.create_project(replace(project, updated_at=T0))
    reloaded = repo.get_project(project.user_id, project.id)
    assert reloaded is not None and reloaded.notes == again.notes
