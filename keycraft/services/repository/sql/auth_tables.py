"""SQL tables for sign-in: OAuth identities, email-link tokens and rate-limit counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, String
from sqlmodel import Field, SQLModel


def _utc_column(*, index: bool = False) -> Column:
    return Column(DateTime(timezone=True), nullable=False, index=index)


class OAuthAccountRow(SQLModel, table=True):
    """A provider identity linked to a user."""

    __tablename__ = "oauth_accounts"

    provider: str = Field(primary_key=True, max_length=40)
    subject: str = Field(primary_key=True, max_length=255)
    user_id: str = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    email: str = Field(sa_column=Column(String(320), nullable=False))
    created_at: datetime = Field(sa_column=_utc_column())


class EmailTokenRow(SQLModel, table=True):
    """A pending email link, keyed by the SHA-256 of its token."""

    __tablename__ = "email_tokens"

    token_hash: str = Field(primary_key=True, max_length=64)
    email: str = Field(sa_column=Column(String(320), nullable=False, index=True))
    purpose: str = Field(max_length=20)
    expires_at: datetime = Field(sa_column=_utc_column(index=True))
    created_at: datetime = Field(sa_column=_utc_column())


class RateLimitRow(SQLModel, table=True):
    """Attempts counted for one key in one fixed window."""

    __tablename__ = "rate_limits"

    key: str = Field(primary_key=True, max_length=200)
    window_start: datetime = Field(
        sa_column=Column(DateTime(timezone=True), primary_key=True, nullable=False)
    )
    count: int = 0
    expires_at: datetime = Field(sa_column=_utc_column(index=True))
