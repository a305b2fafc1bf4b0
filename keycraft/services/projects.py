"""Project use cases: list, create, open, rename, duplicate, delete and save notes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import PurePosixPath

from keycraft.services.domain import DEFAULT_TEMPO_BPM, Note, Project, ProjectSummary, TimeSignature
from keycraft.services.errors import DomainError, NotFound
from keycraft.services.repository.port import Repository
from keycraft.services.storage.port import Storage

MAX_TITLE_CHARS = 120
MIN_TEMPO_BPM = 20.0
MAX_TEMPO_BPM = 400.0
ALLOWED_NUMERATORS = range(1, 17)
ALLOWED_DENOMINATORS = (2, 4, 8, 16)
DEFAULT_TITLE = "Untitled piece"


class InvalidTitle(DomainError):
    """A project title that is empty or too long."""


class InvalidTempo(DomainError):
    """A tempo outside ``MIN_TEMPO_BPM``–``MAX_TEMPO_BPM``."""


class InvalidTimeSignature(DomainError):
    """A time signature the editor cannot draw."""


def clean_title(title: str) -> str:
    """Return ``title`` with spaces collapsed; raise ``InvalidTitle`` if empty or too long."""
    cleaned = " ".join(title.split())
    if not cleaned or len(cleaned) > MAX_TITLE_CHARS:
        raise InvalidTitle(title[:40])
    return cleaned


def check_tempo(tempo_bpm: float) -> float:
    """Return ``tempo_bpm`` rounded to 0.01 if allowed; raise ``InvalidTempo`` otherwise."""
    if not MIN_TEMPO_BPM <= tempo_bpm <= MAX_TEMPO_BPM:
        raise InvalidTempo(str(tempo_bpm))
    return round(tempo_bpm, 2)


def check_time_signature(time_signature: TimeSignature) -> TimeSignature:
    """Return ``time_signature`` if the editor supports it; raise otherwise."""
    if (
        time_signature.numerator not in ALLOWED_NUMERATORS
        or time_signature.denominator not in ALLOWED_DENOMINATORS
    ):
        raise InvalidTimeSignature(f"{time_signature.numerator}/{time_signature.denominator}")
    return time_signature


def list_projects(repo: Repository, user_id: str) -> list[ProjectSummary]:
    """Return the user's projects, most recently updated first."""
    return repo.list_projects(user_id)


def create_project(
    repo: Repository,
    user_id: str,
    title: str,
    now: datetime,
    *,
    notes: Iterable[Note] = (),
    tempo_bpm: float = DEFAULT_TEMPO_BPM,
    time_signature: TimeSignature | None = None,
    source_audio_key: str | None = None,
    project_id: str | None = None,
) -> Project:
    """Create and store a new project for ``user_id`` (with a fresh id unless given)."""
    project = Project(
        id=project_id or uuid.uuid4().hex,
        user_id=user_id,
        title=clean_title(title),
        created_at=now,
        updated_at=now,
        tempo_bpm=check_tempo(tempo_bpm),
        time_signature=check_time_signature(time_signature or TimeSignature()),
        notes=tuple(notes),
        source_audio_key=source_audio_key,
    )
    return repo.create_project(project)


def open_project(repo: Repository, user_id: str, project_id: str) -> Project:
    """Return the user's project; raise ``NotFound`` if missing or someone else's."""
    project = repo.get_project(user_id, project_id)
    if project is None:
        raise NotFound(project_id)
    return project


def rename_project(
    repo: Repository, user_id: str, project_id: str, title: str, now: datetime
) -> Project:
    """Give a project a new title; raise ``Conflict`` if a save landed in between."""
    new_title = clean_title(title)
    project = open_project(repo, user_id, project_id)
    return repo.save_project(replace(project, title=new_title, updated_at=now), project.version)


def duplicate_project(
    repo: Repository, storage: Storage, user_id: str, project_id: str, now: datetime
) -> Project:
    """Store a copy of the user's project (notes, tempo, metre and its own copy of the audio)."""
    source = open_project(repo, user_id, project_id)
    suffix = " (copy)"
    title = source.title[: MAX_TITLE_CHARS - len(suffix)] + suffix
    new_id = uuid.uuid4().hex
    audio_key = None
    if source.source_audio_key:
        # Each project owns its media, so deleting the original keeps the copy's recording.
        extension = PurePosixPath(source.source_audio_key).suffix
        audio_key = f"{project_media_prefix(user_id, new_id)}source{extension}"
        storage.put(audio_key, storage.get(source.source_audio_key), "application/octet-stream")
    return repo.create_project(
        replace(
            source,
            id=new_id,
            title=title,
            created_at=now,
            updated_at=now,
            version=1,
            source_audio_key=audio_key,
        )
    )


def project_media_prefix(user_id: str, project_id: str) -> str:
    """Where a project's media (its source recording) lives in the media store."""
    return f"users/{user_id}/projects/{project_id}/"


def delete_project(repo: Repository, storage: Storage, user_id: str, project_id: str) -> None:
    """Delete the user's project and its media; deleting a missing one is not an error."""
    repo.delete_project(user_id, project_id)
    storage.delete_prefix(project_media_prefix(user_id, project_id))


def save_content(
    repo: Repository,
    project: Project,
    notes: Iterable[Note],
    now: datetime,
    *,
    tempo_bpm: float | None = None,
    time_signature: TimeSignature | None = None,
) -> Project:
    """Save new notes (and optionally tempo/metre) over ``project`` at its version.

    Raises:
        Conflict: another save (e.g. another tab) landed since ``project`` was read.
        NotFound: the project was deleted.
    """
    ordered = tuple(sorted(notes, key=lambda n: (n.start_tick, n.pitch_midi, n.duration_ticks)))
    updated = replace(
        project,
        notes=ordered,
        tempo_bpm=project.tempo_bpm if tempo_bpm is None else check_tempo(tempo_bpm),
        time_signature=check_time_signature(time_signature or project.time_signature),
        updated_at=now,
    )
    return repo.save_project(updated, project.version)
