"""Counts the bytes a repository adapter sends to its store in write requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

_DYNAMODB_WRITES = ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem")
_SQL_WRITES = ("INSERT", "UPDATE", "DELETE")


@dataclass
class WriteMeter:
    """Bytes sent in write requests since the meter was attached (or last reset)."""

    bytes_written: int = 0

    def take(self) -> int:
        """The bytes counted so far; the count starts again from zero."""
        counted, self.bytes_written = self.bytes_written, 0
        return counted


def _value_bytes(value: object) -> int:
    if isinstance(value, bytes | bytearray | memoryview):
        return len(value)
    if isinstance(value, str):
        return len(value.encode())
    return 8  # a number, time or NULL: a fixed-size column value


def meter_sql(engine: Engine) -> WriteMeter:
    """Count the parameter bytes of every INSERT, UPDATE and DELETE ``engine`` runs."""
    meter = WriteMeter()

    def count(_conn: Any, _cursor: Any, statement: str, params: Any, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(_SQL_WRITES):
            return
        rows = params if isinstance(params, list) else [params]
        for row in rows:
            values = row.values() if isinstance(row, dict) else row
            meter.bytes_written += sum(_value_bytes(v) for v in values)

    event.listen(engine, "before_cursor_execute", count)
    return meter


def meter_dynamodb(client: Any) -> WriteMeter:
    """Count the request body bytes of every write call ``client`` sends."""
    meter = WriteMeter()

    def count(request: Any, **_kwargs: Any) -> None:
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else target
        if target.rsplit(".", 1)[-1] in _DYNAMODB_WRITES:
            meter.bytes_written += len(request.body or b"")

    client.meta.events.register("before-send.dynamodb", count)
    return meter
