"""Notes from elsewhere (a MIDI file, a transcription) into the open project or a new one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import PurePosixPath

from keycraft.services import projects
from keycraft.services.domain import BeatTrack, Note, PedalSpan, Project, ProjectTiming
from keycraft.services.errors import DomainError
from keycraft.services.notes.edits import MAX_NOTES
from keycraft.services.notes.midi_io import ImportedMidi
from keycraft.services.notes.pedal import check_pedals
from keycraft.services.repository.port import Repository

REPLACE, NEW_PROJECT = "replace", "new"
"""The two answers to "this project already has notes": replace them, or start another."""


class TooManyImportedNotes(DomainError):
    """A file holds more notes than a project can (``MAX_NOTES``)."""


def check_note_count(imported: ImportedMidi) -> ImportedMidi:
    """``imported`` if a project can hold all its notes.

    Raises:
        TooManyImportedNotes: it has more than ``MAX_NOTES`` notes.
    """
    if len(imported.notes) > MAX_NOTES:
        raise TooManyImportedNotes(f"{len(imported.notes)} notes")
    return imported


def needs_choice(note_count: int) -> bool:
    """Whether filling a project must first ask: only one with notes (an empty one is filled)."""
    return note_count > 0


def title_from_filename(filename: str, default: str) -> str:
    """A project title from an uploaded file's name (its stem), or ``default``."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    stem = name.rpartition(".")[0] if "." in name else name
    try:
        return projects.clean_title(stem[: projects.MAX_TITLE_CHARS])
    except projects.InvalidTitle:
        return default


def with_imported_maps(project: Project, imported: ImportedMidi) -> Project:
    """``project`` with the file's tempo and metre maps and pedal, checked before any change.

    Raises:
        TooManyImportedNotes: the file has more notes than a project can hold.
        InvalidTempo, InvalidTimeSignature, InvalidTempoMap: a map the editor cannot take.
        InvalidPedal: pedal spans that cannot be stored.
    """
    check_note_count(imported)
    return replace(
        project,
        tempo_bpm=projects.check_tempo(imported.tempo_bpm),
        time_signature=projects.check_time_signature(imported.time_signature),
        tempo_changes=projects.check_tempo_changes(imported.tempo_changes),
        time_signature_changes=projects.check_time_signature_changes(
            imported.time_signature_changes
        ),
        pedals=check_pedals(imported.pedals),
        # The file brings its own bars: beats tracked in a recording no longer apply.
        beat_track=BeatTrack(),
    )


def create_from_midi(
    repo: Repository, user_id: str, title: str, imported: ImportedMidi, now: datetime
) -> Project:
    """Store a new project holding an imported MIDI file's notes, tempo, metre and pedal.

    Raises:
        TooManyImportedNotes: the file has more notes than a project can hold.
        InvalidTitle, InvalidTempo, InvalidTimeSignature, InvalidTempoMap, InvalidPedal.
    """
    check_note_count(imported)
    return projects.create_project(
        repo,
        user_id,
        title,
        now,
        notes=imported.notes,
        tempo_bpm=imported.tempo_bpm,
        time_signature=imported.time_signature,
        tempo_changes=imported.tempo_changes,
        time_signature_changes=imported.time_signature_changes,
        pedals=imported.pedals,
    )


def fill_saved_project(
    repo: Repository,
    user_id: str,
    project_id: str,
    notes: Iterable[Note],
    now: datetime,
    *,
    source_audio_key: str | None,
    pedals: Iterable[PedalSpan] | None = None,
    timing: ProjectTiming | None = None,
) -> Project:
    """Replace a stored project's notes and recording (for a project no editor has open).

    ``pedals``, when given, replace the project's sustain pedal too (None keeps it);
    ``timing``, when given, its tempo and metre maps and tracked beats (the notes are
    placed under it by the caller).

    Raises:
        NotFound: the project is gone.
        Conflict: it was saved meanwhile.
        InvalidTempo, InvalidTimeSignature, InvalidTempoMap: ``timing`` cannot be stored.
    """
    project = projects.open_project(repo, user_id, project_id)
    if timing is not None:
        project = project.with_timing(timing)
    return projects.save_content(
        repo,
        replace(project, source_audio_key=source_audio_key),
        notes,
        now,
        tempo_bpm=project.tempo_bpm,
        time_signature=project.time_signature,
        tempo_changes=project.tempo_changes,
        time_signature_changes=project.time_signature_changes,
        pedals=pedals,
    )
