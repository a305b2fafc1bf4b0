"""Project use cases: list, create, open, rename, duplicate, delete, save notes and settings."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import PurePosixPath

from keycraft.services.domain import (
    DEFAULT_TEMPO_BPM,
    Note,
    PedalSpan,
    Project,
    ProjectSummary,
    TempoChange,
    TimeSignature,
    TimeSignatureChange,
)
from keycraft.services.errors import DomainError, NotFound
from keycraft.services.note_chunks import NoteChunksEdit
from keycraft.services.notes.pedal import check_pedals
from keycraft.services.project_settings import ProjectSettings, clean_settings
from keycraft.services.repository.port import Repository
from keycraft.services.storage.port import Storage

MAX_TITLE_CHARS = 120
MIN_TEMPO_BPM = 20.0
MAX_TEMPO_BPM = 400.0
ALLOWED_NUMERATORS = range(1, 17)
ALLOWED_DENOMINATORS = (2, 4, 8, 16)
DEFAULT_TITLE = "Untitled piece"
MAX_MAP_CHANGES = 2000
"""Most tempo (or time-signature) changes a project keeps: a beat-by-beat tempo map of a
long performance fits, and the stored map stays small beside the notes."""


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


class InvalidTempoMap(DomainError):
    """Tempo or time-signature changes out of order, too many, or at tick 0 or before."""


def check_tempo_changes(changes: Iterable[TempoChange]) -> tuple[TempoChange, ...]:
    """Return the later tempo changes with each tempo checked like :func:`check_tempo`.

    Raises:
        InvalidTempo: a tempo outside the allowed range.
        InvalidTempoMap: ticks not strictly increasing above 0, or too many changes.
    """
    checked = tuple(TempoChange(c.tick, check_tempo(c.tempo_bpm)) for c in changes)
    _check_ticks([c.tick for c in checked])
    return checked


def check_time_signature_changes(
    changes: Iterable[TimeSignatureChange],
) -> tuple[TimeSignatureChange, ...]:
    """Return the later time-signature changes if each is allowed and they are in order.

    Raises:
        InvalidTimeSignature: a signature the editor cannot draw.
        InvalidTempoMap: ticks not strictly increasing above 0, or too many changes.
    """
    checked = tuple(changes)
    for change in checked:
        check_time_signature(change.time_signature)
    _check_ticks([c.tick for c in checked])
    return checked


def _check_ticks(ticks: list[int]) -> None:
    if len(ticks) > MAX_MAP_CHANGES:
        raise InvalidTempoMap(f"{len(ticks)} changes")
    if any(t <= 0 for t in ticks) or any(a >= b for a, b in zip(ticks, ticks[1:], strict=False)):
        raise InvalidTempoMap("ticks out of order")


def scale_tempo_map(project: Project, tempo_bpm: float) -> tuple[float, tuple[TempoChange, ...]]:
    """Return the first tempo and later changes after setting the first tempo to ``tempo_bpm``.

    Every later tempo is scaled by the same factor, so the piece keeps its shape (a
    ritardando stays one) and simply plays faster or slower.

    Raises:
        InvalidTempo: the new tempo, or a scaled later one, is outside the allowed range.
    """
    first = check_tempo(tempo_bpm)
    factor = first / project.tempo_bpm
    scaled = (TempoChange(c.tick, c.tempo_bpm * factor) for c in project.tempo_changes)
    return first, check_tempo_changes(scaled)


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
    tempo_changes: Iterable[TempoChange] = (),
    time_signature_changes: Iterable[TimeSignatureChange] = (),
    pedals: Iterable[PedalSpan] = (),
) -> Project:
    """Create and store a new project for ``user_id`` (with a fresh id unless given).

    Raises:
        InvalidTitle, InvalidTempo, InvalidTimeSignature, InvalidTempoMap, InvalidPedal.
    """
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
        tempo_changes=check_tempo_changes(tempo_changes),
        time_signature_changes=check_time_signature_changes(time_signature_changes),
        pedals=check_pedals(pedals),
    )
    return repo.create_project(project)


def open_project(repo: Repository, user_id: str, project_id: str) -> Project:
    """Return the user's project; raise ``NotFound`` if missing or someone else's."""
    project = repo.get_project(user_id, project_id)
    if project is None:
        raise NotFound(project_id)
    return project


def save_settings(
    repo: Repository, user_id: str, project_id: str, settings: ProjectSettings
) -> ProjectSettings:
    """Store a project's practice and view settings, brought into range; return them.

    Only the settings are written: the notes, maps and version stay as they are.
    """
    cleaned = clean_settings(settings)
    repo.save_project_settings(user_id, project_id, cleaned)
    return cleaned


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
    tempo_changes: Iterable[TempoChange] | None = None,
    time_signature_changes: Iterable[TimeSignatureChange] | None = None,
    pedals: Iterable[PedalSpan] | None = None,
) -> Project:
    """Save new notes (and optionally tempo/metre and pedal) over ``project`` at its version.

    Each of ``tempo_bpm``, ``time_signature``, the two change lists and ``pedals`` left as
    None keeps the project's own.

    Raises:
        InvalidTempo, InvalidTimeSignature, InvalidTempoMap: a tempo or metre not allowed.
        InvalidPedal: pedal spans that overlap or do not last.
        Conflict: another save (e.g. another tab) landed since ``project`` was read.
        NotFound: the project was deleted.
    """
    ordered = tuple(sorted(notes, key=lambda n: (n.start_tick, n.pitch_midi, n.duration_ticks)))
    updated = replace(
        project,
        notes=ordered,
        tempo_bpm=project.tempo_bpm if tempo_bpm is None else check_tempo(tempo_bpm),
        time_signature=check_time_signature(time_signature or project.time_signature),
        tempo_changes=project.tempo_changes
        if tempo_changes is None
        else check_tempo_changes(tempo_changes),
        time_signature_changes=project.time_signature_changes
        if time_signature_changes is None
        else check_time_signature_changes(time_signature_changes),
        pedals=project.pedals if pedals is None else check_pedals(pedals),
        updated_at=now,
    )
    return repo.save_project(updated, project.version)


def save_edit(
    repo: Repository,
    project: Project,
    edit: NoteChunksEdit,
    now: datetime,
    *,
    pedals: Iterable[PedalSpan],
) -> Project:
    """Save an editor edit over ``project`` at its version: only the note chunks it touched.

    The title, tempo and metre are always written (they are small); the pedal and later
    tempo and metre changes only when ``edit.content_changed``.

    Raises:
        InvalidTempo, InvalidTimeSignature, InvalidTempoMap: a tempo or metre not allowed.
        InvalidPedal: pedal spans that overlap or do not last.
        Conflict: another save (e.g. another tab) landed since ``project`` was read.
        NotFound: the project was deleted.
    """
    updated = replace(
        project,
        tempo_bpm=check_tempo(project.tempo_bpm),
        time_signature=check_time_signature(project.time_signature),
        updated_at=now,
    )
    if edit.content_changed:
        updated = replace(
            updated,
            tempo_changes=check_tempo_changes(project.tempo_changes),
            time_signature_changes=check_time_signature_changes(project.time_signature_changes),
            pedals=check_pedals(pedals),
        )
    return repo.save_project_edit(updated, project.version, edit)
