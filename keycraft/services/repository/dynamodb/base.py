"""Shared plumbing for the DynamoDB adapter: marshalling, error translation, paging."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from keycraft.services.errors import RepositoryUnavailable
from keycraft.services.repository.dynamodb.keys import (
    PK,
    SK,
    TTL_ATTRIBUTE,
    iso,
    parse_iso,
    table_definition,
)

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def dump(values: dict[str, Any]) -> dict[str, Any]:
    """Marshal plain values to DynamoDB attribute values, dropping Nones."""
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def load(item: dict[str, Any]) -> dict[str, Any]:
    """Unmarshal a DynamoDB item to plain values."""
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


def opt_time(value: str | None) -> datetime | None:
    """Parse an optional stored time."""
    return None if value is None else parse_iso(value)


def opt_iso(value: datetime | None) -> str | None:
    """Format an optional time for storage."""
    return None if value is None else iso(value)


def is_condition_failure(exc: ClientError) -> bool:
    """Whether a client error is a failed condition (a meaningful outcome, not an outage)."""
    code = exc.response.get("Error", {}).get("Code", "")
    return code in ("ConditionalCheckFailedException", "TransactionCanceledException")


class DynamoBase:
    """Client, table name and the calls every DynamoDB mixin builds on."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _put(
        self,
        item: dict[str, Any],
        condition: str | None = None,
        values: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A ``Put`` for ``TransactWriteItems``, with an optional condition and its values."""
        put: dict[str, Any] = {"TableName": self._table, "Item": dump(item)}
        if condition:
            put["ConditionExpression"] = condition
        if values:
            put["ExpressionAttributeValues"] = dump(values)
        return {"Put": put}

    @contextmanager
    def _calls(self) -> Iterator[None]:
        # Transport failures and throttling become one domain error; condition failures
        # are handled where they carry meaning, so they pass through untouched.
        try:
            yield
        except ClientError as exc:
            if is_condition_failure(exc):
                raise
            raise RepositoryUnavailable(exc.response.get("Error", {}).get("Code", "")) from exc
        except BotoCoreError as exc:
            raise RepositoryUnavailable(type(exc).__name__) from exc

    def create_table(self) -> None:
        """Create the table and enable TTL if it does not exist (a command, not import-time)."""
        with self._calls():
            try:
                self._client.create_table(**table_definition(self._table))
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ResourceInUseException":
                    raise
            self._client.get_waiter("table_exists").wait(TableName=self._table)
            ttl = self._client.describe_time_to_live(TableName=self._table)
            if ttl["TimeToLiveDescription"]["TimeToLiveStatus"] in ("DISABLED",):
                self._client.update_time_to_live(
                    TableName=self._table,
                    TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
                )

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        with self._calls():
            found = self._client.get_item(
                TableName=self._table, Key=dump({PK: pk, SK: sk}), ConsistentRead=True
            )
        item = found.get("Item")
        return None if item is None else load(item)

    def _query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        with self._calls():
            paginator = self._client.get_paginator("query")
            for page in paginator.paginate(TableName=self._table, **kwargs):
                for item in page.get("Items", []):
                    yield load(item)

    def ping(self) -> None:
        """See the port."""
        with self._calls():
            self._client.describe_table(TableName=self._table)

    def _delete_keys(self, keys: list[dict[str, str]]) -> None:
        with self._calls():
            for start in range(0, len(keys), 25):
                batch = [{"DeleteRequest": {"Key": dump(k)}} for k in keys[start : start + 25]]
                pending: dict[str, Any] = {self._table: batch}
                while pending:
                    result = self._client.batch_write_item(RequestItems=pending)
                    pending = result.get("UnprocessedItems") or {}
