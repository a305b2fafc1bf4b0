"""DynamoDB sessions: a lookup item per token hash plus a copy under the user, both strong.

The copy under ``USER#<id>`` lets "sign out everywhere" list every session with a strongly
consistent query; a GSI would be eventually consistent and could miss a session created a
moment earlier.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from keycraft.services.domain import Session
from keycraft.services.repository.dynamodb.base import DynamoBase, dump, load
from keycraft.services.repository.dynamodb.keys import (
    PK,
    SESSION_SK,
    SK,
    TTL_ATTRIBUTE,
    iso,
    parse_iso,
    session_pk,
    user_pk,
    user_session_sk,
)


def _session_values(session: Session) -> dict[str, Any]:
    return {
        "token_hash": session.token_hash,
        "user_id": session.user_id,
        "created_at": iso(session.created_at),
        "last_seen_at": iso(session.last_seen_at),
        "expires_at": iso(session.expires_at),
        TTL_ATTRIBUTE: int(session.expires_at.timestamp()),
        "user_agent": session.user_agent[:400],
    }


def _session_from_item(item: dict[str, Any]) -> Session:
    return Session(
        token_hash=item["token_hash"],
        user_id=item["user_id"],
        created_at=parse_iso(item["created_at"]),
        last_seen_at=parse_iso(item["last_seen_at"]),
        expires_at=parse_iso(item["expires_at"]),
        user_agent=item.get("user_agent", ""),
    )


def _keys(session_user_id: str, token_hash: str) -> list[dict[str, str]]:
    return [
        {PK: session_pk(token_hash), SK: SESSION_SK},
        {PK: user_pk(session_user_id), SK: user_session_sk(token_hash)},
    ]


class DynamoSessionsMixin(DynamoBase):
    """Session half of the DynamoDB repository."""

    def create_session(self, session: Session) -> None:
        """See the port: lookup item and user copy are written in one transaction."""
        values = _session_values(session)
        lookup, copy = _keys(session.user_id, session.token_hash)
        with self._calls():
            self._client.transact_write_items(
                TransactItems=[
                    self._put({**lookup, **values}),
                    self._put({**copy, **values}),
                ]
            )

    def get_session(self, token_hash: str) -> Session | None:
        """See the port."""
        item = self._get(session_pk(token_hash), SESSION_SK)
        return None if item is None else _session_from_item(item)

    def touch_session(self, token_hash: str, last_seen_at: datetime, expires_at: datetime) -> None:
        """See the port; both items slide together, and only if the session still exists."""
        session = self.get_session(token_hash)
        if session is None:
            return
        update = {
            "UpdateExpression": "SET last_seen_at = :seen, expires_at = :exp, #ttl = :ttl",
            "ConditionExpression": "attribute_exists(PK)",
            "ExpressionAttributeNames": {"#ttl": TTL_ATTRIBUTE},
            "ExpressionAttributeValues": dump(
                {
                    ":seen": iso(last_seen_at),
                    ":exp": iso(expires_at),
                    ":ttl": int(expires_at.timestamp()),
                }
            ),
        }
        try:
            with self._calls():
                self._client.transact_write_items(
                    TransactItems=[
                        {"Update": {"TableName": self._table, "Key": dump(key), **update}}
                        for key in _keys(session.user_id, token_hash)
                    ]
                )
        except ClientError:
            return  # revoked meanwhile: nothing to slide

    def delete_session(self, token_hash: str) -> None:
        """See the port."""
        with self._calls():
            old = self._client.delete_item(
                TableName=self._table,
                Key=dump({PK: session_pk(token_hash), SK: SESSION_SK}),
                ReturnValues="ALL_OLD",
            ).get("Attributes")
        if old:
            self._delete_keys(_keys(load(old)["user_id"], token_hash)[1:])

    def list_user_sessions(self, user_id: str) -> list[Session]:
        """See the port (a strongly consistent query of the user's partition)."""
        items = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=dump({":pk": user_pk(user_id), ":prefix": "SESSION#"}),
            ConsistentRead=True,
        )
        sessions = [_session_from_item(item) for item in items]
        return sorted(sessions, key=lambda s: s.created_at, reverse=True)

    def delete_user_sessions(self, user_id: str) -> int:
        """See the port."""
        sessions = self.list_user_sessions(user_id)
        self._delete_keys([key for s in sessions for key in _keys(user_id, s.token_hash)])
        return len(sessions)
