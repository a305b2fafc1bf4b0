"""SQL tables of the experiments feature (see docs/data-model.md, migration 0003)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel


def _utc_column(*, index: bool = False) -> Column:
    return Column(DateTime(timezone=True), nullable=False, index=index)


class ExperimentDefinitionRow(SQLModel, table=True):
    """The weights fingerprint first counted for an experiment version (refuses edits)."""

    __tablename__ = "experiment_definitions"

    experiment_key: str = Field(primary_key=True, max_length=80)
    version: int = Field(primary_key=True)
    fingerprint: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=_utc_column())


class ExperimentExposureRow(SQLModel, table=True):
    """A visitor saw a variant: at most one row per experiment version and visitor."""

    __tablename__ = "experiment_exposures"

    experiment_key: str = Field(primary_key=True, max_length=80)
    version: int = Field(primary_key=True)
    visitor_id: str = Field(primary_key=True, max_length=32, index=True)
    variant: str = Field(max_length=80)
    exposed_at: datetime = Field(sa_column=_utc_column())


class ExperimentConversionRow(SQLModel, table=True):
    """An exposed visitor converted: at most one row per experiment version, visitor, metric."""

    __tablename__ = "experiment_conversions"

    experiment_key: str = Field(primary_key=True, max_length=80)
    version: int = Field(primary_key=True)
    visitor_id: str = Field(primary_key=True, max_length=32)
    metric: str = Field(primary_key=True, max_length=40)
    variant: str = Field(max_length=80)
    converted_at: datetime = Field(sa_column=_utc_column())


class VisitorLinkRow(SQLModel, table=True):
    """An anonymous visitor id linked to the account that signed up or in with it."""

    __tablename__ = "visitor_links"

    visitor_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    linked_at: datetime = Field(sa_column=_utc_column())
