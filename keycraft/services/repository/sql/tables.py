"""SQL table definitions (SQLModel) for the relational adapter and its Alembic migrations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, DateTime, LargeBinary, String, Text
from sqlmodel import Field, SQLModel


def _utc_column(*, nullable: bool = False, index: bool = False) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable, index=index)


class UserRow(SQLModel, table=True):
    """One account."""

    __tablename__ = "users"

    id: str = Field(primary_key=True, max_length=32)
    email: str = Field(sa_column=Column(String(320), unique=True, nullable=False))
    name: str = Field(default="", max_length=200)
    password_hash: str | None = Field(default=None, max_length=200)
    email_verified: bool = False
    role: str = Field(default="user", max_length=20)
    has_paid: bool = False
    active_plans: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    stripe_customer_id: str | None = Field(default=None, max_length=100, index=True)
    subscription_id: str | None = Field(default=None, max_length=100)
    subscription_status: str | None = Field(default=None, max_length=40)
    subscription_plan: str | None = Field(default=None, max_length=60)
    current_period_end: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    cancel_at_period_end: bool = False
    subscription_updated_at: datetime | None = Field(
        default=None, sa_column=_utc_column(nullable=True)
    )
    created_at: datetime = Field(sa_column=_utc_column())


class DownloadQuotaRow(SQLModel, table=True):
    """A user's MIDI download window."""

    __tablename__ = "download_quotas"

    user_id: str = Field(primary_key=True, foreign_key="users.id", ondelete="CASCADE")
    used: int = 0
    reset_date: datetime = Field(sa_column=_utc_column())
    total_downloads: int = 0
    anchor_at: datetime = Field(sa_column=_utc_column())


class SessionRow(SQLModel, table=True):
    """A browser session, keyed by the SHA-256 of its token."""

    __tablename__ = "sessions"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(sa_column=_utc_column())
    last_seen_at: datetime = Field(sa_column=_utc_column())
    expires_at: datetime = Field(sa_column=_utc_column(index=True))
    user_agent: str = Field(default="", max_length=400)


class ProjectRow(SQLModel, table=True):
    """A project; notes are a compact compressed blob (see ``domain.encode_notes``)."""

    __tablename__ = "projects"

    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    tempo_bpm: float = 120.0
    time_sig_num: int = 4
    time_sig_den: int = 4
    note_count: int = 0
    notes_blob: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
    # Later tempo and time-signature changes as compact JSON (``domain.encode_tempo_changes``);
    # "[]" for a piece in one tempo and metre. Text, not rows: they are read and written whole.
    tempo_changes_json: str = Field(
        default="[]", sa_column=Column(Text, nullable=False, server_default="[]")
    )
    time_signature_changes_json: str = Field(
        default="[]", sa_column=Column(Text, nullable=False, server_default="[]")
    )
    # Sustain pedal spans as compact JSON (``domain.encode_pedals``); "[]" for none.
    pedals_json: str = Field(
        default="[]", sa_column=Column(Text, nullable=False, server_default="[]")
    )
    # The recording's tracked beats and how they are read (``domain.encode_beat_track``);
    # "" when nothing was tracked.
    beat_track_json: str = Field(
        default="", sa_column=Column(Text, nullable=False, server_default="")
    )
    source_audio_key: str | None = Field(default=None, max_length=500)
    # Practice and view settings as compact JSON (``project_settings.encode_settings``); "{}"
    # reads as the defaults. Written on create and by ``save_project_settings`` only.
    settings_json: str = Field(
        default="{}", sa_column=Column(Text, nullable=False, server_default="{}")
    )
    # The key the learner chose ("F# major"), NULL for the estimated one. Written on create
    # and by ``save_project_key`` only.
    key_name: str | None = Field(default=None, max_length=16)
    version: int = 1
    created_at: datetime = Field(sa_column=_utc_column())
    updated_at: datetime = Field(sa_column=_utc_column(index=True))


class ProjectNoteChunkRow(SQLModel, table=True):
    """One chunk overlay of a project's notes (see ``note_chunks``).

    It replaces the notes the project's ``notes_blob`` holds in that chunk. Written by
    editor saves, folded back into ``notes_blob`` by compaction and whole-project saves.
    """

    __tablename__ = "project_note_chunks"

    project_id: str = Field(
        primary_key=True, foreign_key="projects.id", max_length=32, ondelete="CASCADE"
    )
    chunk_index: int = Field(primary_key=True)
    note_count: int = 0
    notes_blob: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))


class StripeEventRow(SQLModel, table=True):
    """A Stripe event whose effect has been applied (or judged stale): replay protection."""

    __tablename__ = "stripe_events"

    event_id: str = Field(primary_key=True, max_length=255)
    event_type: str = Field(max_length=100)
    user_id: str = Field(max_length=32, index=True)
    outcome: str = Field(max_length=20)
    processed_at: datetime = Field(sa_column=_utc_column())
