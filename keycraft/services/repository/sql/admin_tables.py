"""SQL tables of what staff decide at run time (see migration 0009)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel


class ExperimentLifecycleRow(SQLModel, table=True):
    """One experiment's stored lifecycle; ``revision`` guards against lost updates."""

    __tablename__ = "experiment_lifecycles"

    experiment_key: str = Field(primary_key=True, max_length=80)
    status: str = Field(max_length=20)
    version: int
    weights_json: str = Field(max_length=2000)
    ramp_percent: int
    winner: str = Field(default="", max_length=80)
    revision: int
    updated_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    updated_by: str = Field(default="", max_length=320)


class AuditEntryRow(SQLModel, table=True):
    """One admin action in the audit log."""

    __tablename__ = "audit_log"

    id: str = Field(primary_key=True, max_length=32)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    actor: str = Field(max_length=320)
    action: str = Field(max_length=60)
    target: str = Field(max_length=320)
    detail: str = Field(default="", max_length=1000)
