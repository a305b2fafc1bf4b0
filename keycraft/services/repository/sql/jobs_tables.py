"""SQL tables of transcription jobs, each user's count of active jobs and monthly minutes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Index, Text
from sqlmodel import Field, SQLModel


def _utc(*, nullable: bool = False) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


class TranscriptionJobRow(SQLModel, table=True):
    """One transcription job (see ``keycraft.services.jobs.model``)."""

    __tablename__ = "transcription_jobs"
    __table_args__ = (Index("ix_transcription_jobs_status_created", "status", "created_at"),)

    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="users.id", index=True, ondelete="CASCADE", max_length=32)
    project_id: str = Field(max_length=32)
    recording_key: str = Field(max_length=500)
    filename: str = Field(max_length=300)
    title: str = Field(max_length=200)
    into_existing: bool = False
    options_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=20)
    progress_done: int = 0
    progress_total: int = 0
    attempts: int = 0
    claim_id: str = Field(default="", max_length=64)
    lease_until: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    started_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    error: str = Field(default="", max_length=100)
    note_count: int = 0
    reserved_s: int = 0
    minutes_window_end: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    created_at: datetime = Field(sa_column=_utc())
    updated_at: datetime = Field(sa_column=_utc())


class TranscriptionUsageRow(SQLModel, table=True):
    """How many queued or running jobs a user has: the row the per-user limit locks on."""

    __tablename__ = "transcription_usage"

    user_id: str = Field(primary_key=True, foreign_key="users.id", ondelete="CASCADE")
    active_jobs: int = 0


class TranscriptionMinutesRow(SQLModel, table=True):
    """Seconds of recordings a user's jobs reserved in one monthly window (its end names it)."""

    __tablename__ = "transcription_minutes"

    user_id: str = Field(
        primary_key=True, foreign_key="users.id", ondelete="CASCADE", max_length=32
    )
    window_end: datetime = Field(sa_column=Column(DateTime(timezone=True), primary_key=True))
    used_s: int = 0
