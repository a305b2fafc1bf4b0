"""DynamoDB adapter mixin for sign-in storage (see ``port_auth.AuthRepository``).

Keys: guard ``OAUTH#<provider>#<subject>/OAUTH`` → user, listing
``USER#<id>/OAUTH#<provider>#<subject>``; ``EMAILTOKEN#<hash>/EMAILTOKEN``;
``RATE#<key>/<window start>``. Tokens and counters carry the TTL attribute.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from keycraft.services.auth.types import (
    EmailToken,
    EmailTokenPurpose,
    OAuthAccount,
    OAuthIdentityTaken,
)
from keycraft.services.errors import NotFound
from keycraft.services.repository.dynamodb.base import DynamoBase, dump, load
from keycraft.services.repository.dynamodb.keys import (
    PK,
    PROFILE_SK,
    SK,
    TTL_ATTRIBUTE,
    iso,
    parse_iso,
    user_pk,
)

OAUTH_SK = "OAUTH"
EMAIL_TOKEN_SK = "EMAILTOKEN"


def oauth_pk(provider: str, subject: str) -> str:
    """Uniqueness guard of a provider identity."""
    return f"OAUTH#{provider}#{subject}"


def oauth_listing_sk(provider: str, subject: str) -> str:
    """Sort key of an identity under its user, for listing sign-in methods."""
    return f"OAUTH#{provider}#{subject}"


def email_token_pk(token_hash: str) -> str:
    """Partition of one email-link token."""
    return f"EMAILTOKEN#{token_hash}"


def rate_pk(key: str) -> str:
    """Partition of one rate-limit subject; the sort key is the window start."""
    return f"RATE#{key}"


def _oauth_from_item(item: dict[str, Any]) -> OAuthAccount:
    return OAuthAccount(
        provider=item["provider"],
        subject=item["subject"],
        user_id=item["user_id"],
        email=item["email"],
        created_at=parse_iso(item["created_at"]),
    )


class DynamoAuthMixin(DynamoBase):
    """OAuth identities, email-link tokens and rate counters in the single table."""

    def link_oauth_account(self, account: OAuthAccount) -> None:
        """See the port: guard, listing and a user-exists check in one transaction."""
        fields = {
            "provider": account.provider,
            "subject": account.subject,
            "user_id": account.user_id,
            "email": account.email,
            "created_at": iso(account.created_at),
        }
        guard = {PK: oauth_pk(account.provider, account.subject), SK: OAUTH_SK, **fields}
        listing = {
            PK: user_pk(account.user_id),
            SK: oauth_listing_sk(account.provider, account.subject),
            **fields,
        }
        try:
            with self._calls():
                self._client.transact_write_items(
                    TransactItems=[
                        self._put(guard, "attribute_not_exists(PK)"),
                        self._put(listing),
                        {
                            "ConditionCheck": {
                                "TableName": self._table,
                                "Key": dump({PK: user_pk(account.user_id), SK: PROFILE_SK}),
                                "ConditionExpression": "attribute_exists(PK)",
                            }
                        },
                    ]
                )
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons", [])
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                raise OAuthIdentityTaken(account.provider) from exc
            raise NotFound(account.user_id) from exc

    def get_oauth_account(self, provider: str, subject: str) -> OAuthAccount | None:
        """See the port."""
        item = self._get(oauth_pk(provider, subject), OAUTH_SK)
        return None if item is None else _oauth_from_item(item)

    def list_oauth_accounts(self, user_id: str) -> list[OAuthAccount]:
        """See the port."""
        items = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=dump({":pk": user_pk(user_id), ":prefix": "OAUTH#"}),
            ConsistentRead=True,
        )
        return sorted((_oauth_from_item(i) for i in items), key=lambda a: a.created_at)

    def delete_oauth_accounts(self, user_id: str) -> None:
        """See the port: listing items name the guards to delete with them."""
        keys: list[dict[str, str]] = []
        for account in self.list_oauth_accounts(user_id):
            keys.append({PK: oauth_pk(account.provider, account.subject), SK: OAUTH_SK})
            keys.append(
                {PK: user_pk(user_id), SK: oauth_listing_sk(account.provider, account.subject)}
            )
        self._delete_keys(keys)

    def create_email_token(self, token: EmailToken) -> None:
        """See the port."""
        item = {
            PK: email_token_pk(token.token_hash),
            SK: EMAIL_TOKEN_SK,
            "email": token.email,
            "purpose": token.purpose.value,
            "expires_at": iso(token.expires_at),
            "created_at": iso(token.created_at),
            TTL_ATTRIBUTE: int(token.expires_at.timestamp()),
        }
        with self._calls():
            self._client.put_item(TableName=self._table, Item=dump(item))

    def consume_email_token(self, token_hash: str, now: datetime) -> EmailToken | None:
        """See the port: one conditional DeleteItem, so a token works once."""
        try:
            with self._calls():
                result = self._client.delete_item(
                    TableName=self._table,
                    Key=dump({PK: email_token_pk(token_hash), SK: EMAIL_TOKEN_SK}),
                    ConditionExpression="attribute_exists(PK) AND expires_at > :now",
                    ExpressionAttributeValues=dump({":now": iso(now)}),
                    ReturnValues="ALL_OLD",
                )
        except ClientError:
            return None  # unknown, already used, or expired (TTL removes the rest)
        item = load(result["Attributes"])
        return EmailToken(
            token_hash=token_hash,
            email=item["email"],
            purpose=EmailTokenPurpose(item["purpose"]),
            expires_at=parse_iso(item["expires_at"]),
            created_at=parse_iso(item["created_at"]),
        )

    def increment_rate_counter(self, key: str, window_start: datetime, expires_at: datetime) -> int:
        """See the port: an atomic ADD; TTL removes finished windows."""
        with self._calls():
            result = self._client.update_item(
                TableName=self._table,
                Key=dump({PK: rate_pk(key), SK: iso(window_start)}),
                UpdateExpression="ADD #count :one SET #ttl = :ttl",
                ExpressionAttributeNames={"#count": "count", "#ttl": TTL_ATTRIBUTE},
                ExpressionAttributeValues=dump({":one": 1, ":ttl": int(expires_at.timestamp())}),
                ReturnValues="UPDATED_NEW",
            )
        return int(load(result["Attributes"])["count"])
