"""Small builders for domain objects used across tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from keycraft.services.domain import Note, Project, Session, User

T0 = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
FUTURE = datetime(2036, 1, 31, 12, 0, tzinfo=UTC)
"""Base time for sessions in tests: DynamoDB TTL really deletes items that expired."""


def new_id() -> str:
    """A fresh 32-hex-digit id."""
    return uuid.uuid4().hex


def make_user(email: str | None = None, created_at: datetime = T0, **fields: object) -> User:
    """A user with a unique email unless one is given."""
    return User(
        id=new_id(),
        email=email or f"{new_id()[:10]}@example.com",
        name="Test Pianist",
        created_at=created_at,
        **fields,  # type: ignore[arg-type]
    )


def make_session(user: User, created_at: datetime = FUTURE, hours: int = 24) -> Session:
    """A session for ``user`` lasting ``hours``."""
    from datetime import timedelta

    return Session(
        token_hash=new_id() + new_id(),
        user_id=user.id,
        created_at=created_at,
        last_seen_at=created_at,
        expires_at=created_at + timedelta(hours=hours),
        user_agent="pytest",
    )


def make_notes(count: int) -> tuple[Note, ...]:
    """``count`` distinct notes spread over the keyboard."""
    return tuple(
        Note(start_tick=i * 120, duration_ticks=240, pitch_midi=21 + i % 88, velocity=1 + i % 127)
        for i in range(count)
    )


def make_project(user: User, title: str = "Prelude", notes: int = 3) -> Project:
    """A project owned by ``user``."""
    return Project(
        id=new_id(),
        user_id=user.id,
        title=title,
        created_at=T0,
        updated_at=T0,
        notes=make_notes(notes),
    )
