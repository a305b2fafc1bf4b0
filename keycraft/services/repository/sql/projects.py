"""The SQL adapter's projects: rows with a notes base and chunk overlays, saved with versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlmodel import col

from keycraft.services.domain import (
    Note,
    Project,
    ProjectSummary,
    TimeSignature,
    decode_beat_track,
    decode_notes,
    decode_pedals,
    decode_tempo_changes,
    decode_time_signature_changes,
    encode_beat_track,
    encode_notes,
    encode_pedals,
    encode_tempo_changes,
    encode_time_signature_changes,
)
from keycraft.services.errors import Conflict, NotFound
from keycraft.services.note_chunks import NoteChunksEdit, overlay
from keycraft.services.project_settings import ProjectSettings, decode_settings, encode_settings
from keycraft.services.repository.sql.base import SqlBase, aware, rowcount
from keycraft.services.repository.sql.note_chunks import (
    clear_chunks,
    compact_if_due,
    stored_chunks,
    write_chunks,
)
from keycraft.services.repository.sql.tables import ProjectRow


def _project_from_row(row: ProjectRow, chunks: dict[int, tuple[Note, ...]]) -> Project:
    notes = overlay(decode_notes(row.notes_blob), chunks)
    return Project(
        id=row.id,
        user_id=row.user_id,
        title=row.title,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
        tempo_bpm=row.tempo_bpm,
        time_signature=TimeSignature(row.time_sig_num, row.time_sig_den),
        notes=notes,
        source_audio_key=row.source_audio_key,
        version=row.version,
        tempo_changes=decode_tempo_changes(row.tempo_changes_json),
        time_signature_changes=decode_time_signature_changes(row.time_signature_changes_json),
        pedals=decode_pedals(row.pedals_json),
        beat_track=decode_beat_track(row.beat_track_json),
        settings=decode_settings(row.settings_json),
        key_name=row.key_name,
    )


def _project_meta_values(project: Project) -> dict[str, Any]:
    """The columns an editor save always writes (small: no notes, maps or pedal)."""
    return {
        "title": project.title,
        "tempo_bpm": project.tempo_bpm,
        "time_sig_num": project.time_signature.numerator,
        "time_sig_den": project.time_signature.denominator,
        "source_audio_key": project.source_audio_key,
        "updated_at": project.updated_at,
    }


def _project_content_values(project: Project) -> dict[str, Any]:
    """The columns of the pedal, tempo and metre maps and beat track."""
    return {
        "tempo_changes_json": encode_tempo_changes(project.tempo_changes),
        "time_signature_changes_json": encode_time_signature_changes(
            project.time_signature_changes
        ),
        "pedals_json": encode_pedals(project.pedals),
        "beat_track_json": encode_beat_track(project.beat_track),
    }


def _project_values(project: Project) -> dict[str, Any]:
    return {
        **_project_meta_values(project),
        **_project_content_values(project),
        "note_count": len(project.notes),
        "notes_blob": encode_notes(project.notes),
    }


class SqlProjectsMixin(SqlBase):
    """Projects private to their owner; every save is one version-checked transaction."""

    def create_project(self, project: Project) -> Project:
        """See the port."""
        with self._tx() as db:
            db.add(
                ProjectRow(
                    id=project.id,
                    user_id=project.user_id,
                    created_at=project.created_at,
                    version=project.version,
                    settings_json=encode_settings(project.settings),
                    key_name=project.key_name,
                    **_project_values(project),
                )
            )
        return project

    def get_project(self, user_id: str, project_id: str) -> Project | None:
        """See the port."""
        with self._tx() as db:
            row = db.get(ProjectRow, project_id)
            if row is None or row.user_id != user_id:
                return None
            return _project_from_row(row, stored_chunks(db, project_id))

    def list_projects(self, user_id: str) -> list[ProjectSummary]:
        """See the port."""
        columns = (
            col(ProjectRow.id),
            col(ProjectRow.title),
            col(ProjectRow.note_count),
            col(ProjectRow.created_at),
            col(ProjectRow.updated_at),
        )
        with self._tx() as db:
            rows = db.execute(
                select(*columns)
                .where(col(ProjectRow.user_id) == user_id)
                .order_by(col(ProjectRow.updated_at).desc())
            ).all()
        return [
            ProjectSummary(
                id=r.id,
                user_id=user_id,
                title=r.title,
                note_count=r.note_count,
                created_at=aware(r.created_at),
                updated_at=aware(r.updated_at),
            )
            for r in rows
        ]

    def save_project(self, project: Project, expected_version: int) -> Project:
        """See the port."""
        with self._tx() as db:
            self._update_version(db, project, expected_version, _project_values(project))
            # The new base holds every note: earlier overlays would hide some of them.
            clear_chunks(db, project.id)
            # Only created_at is unknown to the caller; re-reading and decoding every note
            # after each save would cost more than the write itself on large projects.
            created_at = self._created_at(db, project.id)
        return replace(project, version=expected_version + 1, created_at=aware(created_at))

    def save_project_edit(
        self, project: Project, expected_version: int, edit: NoteChunksEdit
    ) -> Project:
        """See the port: one version-checked UPDATE of the small columns, then the overlays.

        Both are in one transaction, so a refused version writes no overlay.
        """
        values = {**_project_meta_values(project), "note_count": edit.note_count}
        if edit.content_changed:
            values.update(_project_content_values(project))
        with self._tx() as db:
            self._update_version(db, project, expected_version, values)
            write_chunks(db, project.id, edit.chunks)
            compact_if_due(db, project.id)
            created_at = self._created_at(db, project.id)
        return replace(project, version=expected_version + 1, created_at=aware(created_at))

    @staticmethod
    def _update_version(
        db: Any, project: Project, expected_version: int, values: dict[str, Any]
    ) -> None:
        """UPDATE the project's row to the next version if it is still at ``expected_version``.

        Raises:
            Conflict: another save came first.
            NotFound: the user has no such project.
        """
        result = db.execute(
            update(ProjectRow)
            .where(
                col(ProjectRow.id) == project.id,
                col(ProjectRow.user_id) == project.user_id,
                col(ProjectRow.version) == expected_version,
            )
            .values(version=expected_version + 1, **values)
        )
        if rowcount(result) != 0:
            return
        exists = db.execute(
            select(func.count())
            .select_from(ProjectRow)
            .where(
                col(ProjectRow.id) == project.id,
                col(ProjectRow.user_id) == project.user_id,
            )
        ).one()[0]
        raise Conflict(project.id) if exists else NotFound(project.id)

    @staticmethod
    def _created_at(db: Any, project_id: str) -> datetime:
        return db.execute(
            select(col(ProjectRow.created_at)).where(col(ProjectRow.id) == project_id)
        ).scalar_one()

    def save_project_settings(
        self, user_id: str, project_id: str, settings: ProjectSettings
    ) -> None:
        """See the port: one small UPDATE of the settings column."""
        with self._tx() as db:
            result = db.execute(
                update(ProjectRow)
                .where(col(ProjectRow.id) == project_id, col(ProjectRow.user_id) == user_id)
                .values(settings_json=encode_settings(settings))
            )
            if rowcount(result) != 1:
                raise NotFound(project_id)

    def save_project_key(self, user_id: str, project_id: str, key_name: str | None) -> None:
        """See the port: one small UPDATE of the key column."""
        with self._tx() as db:
            result = db.execute(
                update(ProjectRow)
                .where(col(ProjectRow.id) == project_id, col(ProjectRow.user_id) == user_id)
                .values(key_name=key_name)
            )
            if rowcount(result) != 1:
                raise NotFound(project_id)

    def delete_project(self, user_id: str, project_id: str) -> None:
        """See the port."""
        with self._tx() as db:
            db.execute(
                delete(ProjectRow).where(
                    col(ProjectRow.id) == project_id,
                    col(ProjectRow.user_id) == user_id,
                )
            )
