"""Projects with optimistic versions, in memory (see ``port.Repository``).

A project is stored whole, as the domain ``Project``: a field added to it is kept and
returned with no change here. Only ``version``, ``created_at`` and ``settings`` follow the
stored record on a save, as the port demands, and so does the key the learner chose (it
has its own small write).
"""

from __future__ import annotations

from dataclasses import replace

from keycraft.services.domain import Project, ProjectSummary
from keycraft.services.errors import Conflict, NotFound
from keycraft.services.note_chunks import NoteChunksEdit, overlay
from keycraft.services.project_settings import ProjectSettings
from keycraft.services.repository.memory.base import MemoryBase
from keycraft.services.repository.memory.copying import detached


class MemoryProjectsMixin(MemoryBase):
    """Projects private to their owner; a save lands only on the version it was read at."""

    def _owned_project(self, user_id: str, project_id: str) -> Project | None:
        project = self._tables.projects.get(project_id)
        return project if project is not None and project.user_id == user_id else None

    def create_project(self, project: Project) -> Project:
        """See the port; an id already in use is a ``Conflict`` (ids are unique)."""
        with self._lock:
            if project.id in self._tables.projects:
                raise Conflict(project.id)
            self._tables.projects[project.id] = detached(project)
        return project

    def get_project(self, user_id: str, project_id: str) -> Project | None:
        """See the port."""
        with self._lock:
            return detached(self._owned_project(user_id, project_id))

    def list_projects(self, user_id: str) -> list[ProjectSummary]:
        """See the port."""
        with self._lock:
            mine = [p for p in self._tables.projects.values() if p.user_id == user_id]
        summaries = [
            ProjectSummary(
                id=p.id,
                user_id=p.user_id,
                title=p.title,
                note_count=len(p.notes),
                created_at=p.created_at,
                updated_at=p.updated_at,
            )
            for p in mine
        ]
        return sorted(summaries, key=lambda s: s.updated_at, reverse=True)

    def save_project(self, project: Project, expected_version: int) -> Project:
        """See the port; returns the project as now stored (with the stored settings)."""
        with self._lock:
            current = self._owned_project(project.user_id, project.id)
            if current is None:
                raise NotFound(project.id)
            if current.version != expected_version:
                raise Conflict(project.id)
            stored = replace(
                detached(project),
                version=expected_version + 1,
                created_at=current.created_at,
                settings=current.settings,
                key_name=current.key_name,
            )
            self._tables.projects[project.id] = stored
            return detached(stored)

    def save_project_edit(
        self, project: Project, expected_version: int, edit: NoteChunksEdit
    ) -> Project:
        """See the port: the touched chunks replace the stored notes there."""
        with self._lock:
            current = self._owned_project(project.user_id, project.id)
            if current is None:
                raise NotFound(project.id)
            if current.version != expected_version:
                raise Conflict(project.id)
            content = detached(project) if edit.content_changed else current
            stored = replace(
                current,
                title=project.title,
                updated_at=project.updated_at,
                tempo_bpm=project.tempo_bpm,
                time_signature=project.time_signature,
                source_audio_key=project.source_audio_key,
                notes=overlay(current.notes, dict(edit.chunks)),
                tempo_changes=content.tempo_changes,
                time_signature_changes=content.time_signature_changes,
                pedals=content.pedals,
                beat_track=content.beat_track,
                version=expected_version + 1,
            )
            self._tables.projects[project.id] = stored
            return replace(
                project,
                version=stored.version,
                created_at=current.created_at,
                settings=current.settings,
                key_name=current.key_name,
            )

    def save_project_settings(
        self, user_id: str, project_id: str, settings: ProjectSettings
    ) -> None:
        """See the port."""
        with self._lock:
            current = self._owned_project(user_id, project_id)
            if current is None:
                raise NotFound(project_id)
            self._tables.projects[project_id] = replace(current, settings=detached(settings))

    def save_project_key(self, user_id: str, project_id: str, key_name: str | None) -> None:
        """See the port."""
        with self._lock:
            current = self._owned_project(user_id, project_id)
            if current is None:
                raise NotFound(project_id)
            self._tables.projects[project_id] = replace(current, key_name=key_name)

    def delete_project(self, user_id: str, project_id: str) -> None:
        """See the port."""
        with self._lock:
            if self._owned_project(user_id, project_id) is not None:
                del self._tables.projects[project_id]
