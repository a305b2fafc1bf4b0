"""Relational repository adapter (SQLModel/SQLAlchemy): SQLite by default, any SQL URL works."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    delete,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from keycraft.services.clock import next_monthly_reset
from keycraft.services.domain import (
    DownloadQuota,
    Note,
    Project,
    ProjectSummary,
    QuotaDecision,
    Session,
    TimeSignature,
    User,
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
from keycraft.services.errors import Conflict, EmailTaken, NotFound
from keycraft.services.note_chunks import NoteChunksEdit, overlay
from keycraft.services.project_settings import ProjectSettings, decode_settings, encode_settings
from keycraft.services.repository.sql_admin import SqlAdminMixin
from keycraft.services.repository.sql_auth import SqlAuthMixin
from keycraft.services.repository.sql_base import SqlBase, aware, maybe_aware, rowcount
from keycraft.services.repository.sql_billing import SqlBillingMixin
from keycraft.services.repository.sql_experiments import SqlExperimentsMixin
from keycraft.services.repository.sql_jobs import SqlJobsMixin
from keycraft.services.repository.sql_note_chunks import (
    clear_chunks,
    compact_if_due,
    stored_chunks,
    write_chunks,
)
from keycraft.services.repository.sql_tables import (
    DownloadQuotaRow,
    ProjectRow,
    SessionRow,
    UserRow,
)

_MAX_WINDOW_RETRIES = 5


def _user_from_row(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        created_at=aware(row.created_at),
        password_hash=row.password_hash,
        email_verified=row.email_verified,
        role=row.role,
        has_paid=row.has_paid,
        active_plans=tuple(row.active_plans or ()),
        stripe_customer_id=row.stripe_customer_id,
        subscription_id=row.subscription_id,
        subscription_status=row.subscription_status,
        subscription_plan=row.subscription_plan,
        current_period_end=maybe_aware(row.current_period_end),
        cancel_at_period_end=row.cancel_at_period_end,
        subscription_updated_at=maybe_aware(row.subscription_updated_at),
    )


def _user_values(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "password_hash": user.password_hash,
        "email_verified": user.email_verified,
        "role": user.role,
        "has_paid": user.has_paid,
        "active_plans": list(user.active_plans),
        "stripe_customer_id": user.stripe_customer_id,
        "subscription_id": user.subscription_id,
        "subscription_status": user.subscription_status,
        "subscription_plan": user.subscription_plan,
        "current_period_end": user.current_period_end,
        "cancel_at_period_end": user.cancel_at_period_end,
        "subscription_updated_at": user.subscription_updated_at,
        "created_at": user.created_at,
    }


def _session_from_row(row: SessionRow) -> Session:
    return Session(
        token_hash=row.token_hash,
        user_id=row.user_id,
        created_at=aware(row.created_at),
        last_seen_at=aware(row.last_seen_at),
        expires_at=aware(row.expires_at),
        user_agent=row.user_agent,
    )


def _quota_from_row(row: DownloadQuotaRow) -> DownloadQuota:
    return DownloadQuota(
        user_id=row.user_id,
        used=row.used,
        reset_date=aware(row.reset_date),
        total_downloads=row.total_downloads,
        anchor_at=aware(row.anchor_at),
    )


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


class SqlModelRepository(
    SqlAuthMixin, SqlBillingMixin, SqlExperimentsMixin, SqlAdminMixin, SqlJobsMixin, SqlBase
):
    """A :class:`~keycraft.services.repository.port.Repository` over SQLAlchemy."""

    # --- users -----------------------------------------------------------------------
    def create_user(self, user: User) -> User:
        """See the port."""
        try:
            with self._tx() as db:
                db.add(UserRow(**_user_values(user)))
                db.flush()
                db.add(
                    DownloadQuotaRow(
                        user_id=user.id,
                        used=0,
                        reset_date=next_monthly_reset(user.created_at, user.created_at),
                        total_downloads=0,
                        anchor_at=user.created_at,
                    )
                )
        except IntegrityError as exc:
            raise EmailTaken(user.email) from exc
        return user

    def get_user(self, user_id: str) -> User | None:
        """See the port."""
        with self._tx() as db:
            row = db.get(UserRow, user_id)
            return None if row is None else _user_from_row(row)

    def get_user_by_email(self, email: str) -> User | None:
        """See the port."""
        with self._tx() as db:
            row = db.scalars(select(UserRow).where(col(UserRow.email) == email)).first()
            return None if row is None else _user_from_row(row)

    def update_user(self, user: User) -> User:
        """See the port."""
        values = _user_values(user)
        values.pop("id")
        values.pop("created_at")
        try:
            with self._tx() as db:
                statement = update(UserRow).where(col(UserRow.id) == user.id).values(**values)
                result = db.execute(statement)
                if rowcount(result) == 0:
                    raise NotFound(user.id)
        except IntegrityError as exc:
            raise EmailTaken(user.email) from exc
        return user

    def delete_user(self, user_id: str) -> None:
        """See the port."""
        with self._tx() as db:
            db.execute(delete(SessionRow).where(col(SessionRow.user_id) == user_id))
            db.execute(delete(ProjectRow).where(col(ProjectRow.user_id) == user_id))
            db.execute(delete(DownloadQuotaRow).where(col(DownloadQuotaRow.user_id) == user_id))
            db.execute(delete(UserRow).where(col(UserRow.id) == user_id))

    # --- sessions --------------------------------------------------------------------
    def create_session(self, session: Session) -> None:
        """See the port."""
        with self._tx() as db:
            db.add(
                SessionRow(
                    token_hash=session.token_hash,
                    user_id=session.user_id,
                    created_at=session.created_at,
                    last_seen_at=session.last_seen_at,
                    expires_at=session.expires_at,
                    user_agent=session.user_agent[:400],
                )
            )

    def get_session(self, token_hash: str) -> Session | None:
        """See the port."""
        with self._tx() as db:
            row = db.get(SessionRow, token_hash)
            return None if row is None else _session_from_row(row)

    def touch_session(self, token_hash: str, last_seen_at: datetime, expires_at: datetime) -> None:
        """See the port."""
        with self._tx() as db:
            db.execute(
                update(SessionRow)
                .where(col(SessionRow.token_hash) == token_hash)
                .values(last_seen_at=last_seen_at, expires_at=expires_at)
            )

    def delete_session(self, token_hash: str) -> None:
        """See the port."""
        with self._tx() as db:
            db.execute(delete(SessionRow).where(col(SessionRow.token_hash) == token_hash))

    def list_user_sessions(self, user_id: str) -> list[Session]:
        """See the port."""
        with self._tx() as db:
            rows = db.scalars(
                select(SessionRow)
                .where(col(SessionRow.user_id) == user_id)
                .order_by(col(SessionRow.created_at).desc())
            ).all()
            return [_session_from_row(r) for r in rows]

    def delete_user_sessions(self, user_id: str) -> int:
        """See the port."""
        with self._tx() as db:
            result = db.execute(delete(SessionRow).where(col(SessionRow.user_id) == user_id))
            return int(rowcount(result))

    # --- download quota ---------------------------------------------------------------
    def get_quota(self, user_id: str) -> DownloadQuota:
        """See the port."""
        with self._tx() as db:
            row = db.get(DownloadQuotaRow, user_id)
            if row is None:
                raise NotFound(user_id)
            return _quota_from_row(row)

    def consume_download(self, user_id: str, limit: int, now: datetime) -> QuotaDecision:
        """See the port.

        Each step is one conditional UPDATE, so the database's row lock decides the race:
        the increment only matches while ``used < limit`` inside an unexpired window, and a
        window restart only matches the ``reset_date`` that was read.
        """
        for _ in range(_MAX_WINDOW_RETRIES):
            with self._tx() as db:
                taken = db.execute(
                    update(DownloadQuotaRow)
                    .where(
                        col(DownloadQuotaRow.user_id) == user_id,
                        col(DownloadQuotaRow.used) < limit,
                        col(DownloadQuotaRow.reset_date) > now,
                    )
                    .values(
                        used=col(DownloadQuotaRow.used) + 1,
                        total_downloads=col(DownloadQuotaRow.total_downloads) + 1,
                    )
                )
                granted = rowcount(taken) == 1
                row = db.get(DownloadQuotaRow, user_id)
                if row is None:
                    raise NotFound(user_id)
                quota = _quota_from_row(row)
            if granted or quota.reset_date > now:
                return QuotaDecision(
                    granted=granted,
                    used=quota.used,
                    limit=limit,
                    reset_date=quota.reset_date,
                    total_downloads=quota.total_downloads,
                )
            self._restart_window(quota, now)
        raise Conflict(f"quota window for {user_id} kept moving")

    def _restart_window(self, quota: DownloadQuota, now: datetime) -> None:
        # Matches only the reset_date we read: if another caller restarted the window
        # first, this is a no-op and the retry loop sees the fresh window.
        with self._tx() as db:
            db.execute(
                update(DownloadQuotaRow)
                .where(
                    col(DownloadQuotaRow.user_id) == quota.user_id,
                    col(DownloadQuotaRow.reset_date) == quota.reset_date,
                )
                .values(used=0, reset_date=next_monthly_reset(quota.anchor_at, now))
            )

    # --- projects ---------------------------------------------------------------------
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
            result = db.execute(
                update(ProjectRow)
                .where(
                    col(ProjectRow.id) == project.id,
                    col(ProjectRow.user_id) == project.user_id,
                    col(ProjectRow.version) == expected_version,
                )
                .values(version=expected_version + 1, **_project_values(project))
            )
            self._check_saved(db, result, project)
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
            result = db.execute(
                update(ProjectRow)
                .where(
                    col(ProjectRow.id) == project.id,
                    col(ProjectRow.user_id) == project.user_id,
                    col(ProjectRow.version) == expected_version,
                )
                .values(version=expected_version + 1, **values)
            )
            self._check_saved(db, result, project)
            write_chunks(db, project.id, edit.chunks)
            compact_if_due(db, project.id)
            created_at = self._created_at(db, project.id)
        return replace(project, version=expected_version + 1, created_at=aware(created_at))

    @staticmethod
    def _check_saved(db: Any, result: Any, project: Project) -> None:
        """Raise ``Conflict`` or ``NotFound`` when a version-checked UPDATE matched no row."""
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
