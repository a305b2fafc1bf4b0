"""Shared plumbing for the relational adapter: engine setup, transactions, time columns."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session as DbSession

from keycraft.services.errors import RepositoryUnavailable


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and enforced foreign keys."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        # WAL lets readers proceed during a write; busy_timeout queues writers instead of
        # failing them, which the concurrent quota consumers rely on.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def rowcount(result: Any) -> int:
    """Rows matched by a DML statement (the generic Result type hides ``rowcount``)."""
    return int(cast(CursorResult[Any], result).rowcount)


def aware(moment: datetime) -> datetime:
    """Attach UTC to a naive datetime: SQLite drops zones, and everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def maybe_aware(moment: datetime | None) -> datetime | None:
    """:func:`aware` for optional columns."""
    return None if moment is None else aware(moment)


class SqlBase:
    """Engine and transaction handling that every relational mixin builds on."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @contextmanager
    def _tx(self) -> Iterator[DbSession]:
        try:
            with DbSession(self._engine) as db, db.begin():
                yield db
        except OperationalError as exc:
            raise RepositoryUnavailable(str(exc.orig)) from exc

    def ping(self) -> None:
        """See the port."""
        with self._tx() as db:
            db.execute(text("SELECT 1"))
