"""DynamoDB repository adapter: one table, user-centric keys, conditional writes for atomicity."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from keycraft.services.clock import next_monthly_reset
from keycraft.services.domain import (
    DownloadQuota,
    QuotaDecision,
    User,
)
from keycraft.services.errors import Conflict, EmailTaken, NotFound
from keycraft.services.repository.dynamodb.admin import DynamoAdminMixin, role_member_sk, role_pk
from keycraft.services.repository.dynamodb.auth import DynamoAuthMixin
from keycraft.services.repository.dynamodb.base import DynamoBase, dump, load, opt_iso, opt_time
from keycraft.services.repository.dynamodb.billing import DynamoBillingMixin
from keycraft.services.repository.dynamodb.experiments import DynamoExperimentsMixin
from keycraft.services.repository.dynamodb.jobs import DynamoJobsMixin
from keycraft.services.repository.dynamodb.keys import (
    EMAIL_SK,
    PK,
    PROFILE_SK,
    QUOTA_SK,
    SK,
    STRIPE_CUSTOMER_SK,
    email_pk,
    iso,
    parse_iso,
    stripe_customer_pk,
    user_pk,
)
from keycraft.services.repository.dynamodb.projects import DynamoProjectsMixin
from keycraft.services.repository.dynamodb.sessions import DynamoSessionsMixin

_MAX_WINDOW_RETRIES = 5
DEFAULT_ROLE = "user"
"""Every account's role unless staff changed it; only other roles get a listing item."""


def _user_item(user: User) -> dict[str, Any]:
    return {
        PK: user_pk(user.id),
        SK: PROFILE_SK,
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "password_hash": user.password_hash,
        "email_verified": user.email_verified,
        "role": user.role,
        "has_paid": user.has_paid,
        "active_plans": list(user.active_plans),
        "stripe_customer_id": user.stripe_customer_id,
        "subscription_id": user.subscription_id,
        "subscription_status": user.subscription_status,
        "subscription_plan": user.subscription_plan,
        "current_period_end": opt_iso(user.current_period_end),
        "cancel_at_period_end": user.cancel_at_period_end,
        "subscription_updated_at": opt_iso(user.subscription_updated_at),
        "created_at": iso(user.created_at),
    }


def _user_from_item(item: dict[str, Any]) -> User:
    return User(
        id=item["id"],
        email=item["email"],
        name=item.get("name", ""),
        created_at=parse_iso(item["created_at"]),
        password_hash=item.get("password_hash"),
        email_verified=bool(item.get("email_verified", False)),
        role=item.get("role", "user"),
        has_paid=bool(item.get("has_paid", False)),
        active_plans=tuple(item.get("active_plans", ())),
        stripe_customer_id=item.get("stripe_customer_id"),
        subscription_id=item.get("subscription_id"),
        subscription_status=item.get("subscription_status"),
        subscription_plan=item.get("subscription_plan"),
        current_period_end=opt_time(item.get("current_period_end")),
        cancel_at_period_end=bool(item.get("cancel_at_period_end", False)),
        subscription_updated_at=opt_time(item.get("subscription_updated_at")),
    )


def _quota_from_item(item: dict[str, Any]) -> DownloadQuota:
    return DownloadQuota(
        user_id=item["user_id"],
        used=int(item["used"]),
        reset_date=parse_iso(item["reset_date"]),
        total_downloads=int(item["total_downloads"]),
        anchor_at=parse_iso(item["anchor_at"]),
    )


class DynamoDbRepository(
    DynamoSessionsMixin,
    DynamoAuthMixin,
    DynamoBillingMixin,
    DynamoExperimentsMixin,
    DynamoAdminMixin,
    DynamoJobsMixin,
    DynamoProjectsMixin,
    DynamoBase,
):
    """A :class:`~keycraft.services.repository.port.Repository` over one DynamoDB table."""

    # --- users -----------------------------------------------------------------------
    def _role_listing_writes(self, user_id: str, old: str, new: str) -> list[dict[str, Any]]:
        # Users with a special role (staff) are listed under ROLE#<role>, so listing them is
        # one query; the listing moves in the same transaction as the role itself.
        if old == new:
            return []
        writes: list[dict[str, Any]] = []
        if old != DEFAULT_ROLE:
            key = dump({PK: role_pk(old), SK: role_member_sk(user_id)})
            writes.append({"Delete": {"TableName": self._table, "Key": key}})
        if new != DEFAULT_ROLE:
            writes.append(self._put({PK: role_pk(new), SK: role_member_sk(user_id)}))
        return writes

    def create_user(self, user: User) -> User:
        """See the port: profile, email guard and quota land in one transaction."""
        quota = {
            PK: user_pk(user.id),
            SK: QUOTA_SK,
            "user_id": user.id,
            "used": 0,
            "reset_date": iso(next_monthly_reset(user.created_at, user.created_at)),
            "total_downloads": 0,
            "anchor_at": iso(user.created_at),
        }
        guard = {PK: email_pk(user.email), SK: EMAIL_SK, "user_id": user.id}
        absent = "attribute_not_exists(PK)"
        try:
            with self._calls():
                self._client.transact_write_items(
                    TransactItems=[
                        self._put(item, absent) for item in (_user_item(user), guard, quota)
                    ]
                    + self._role_listing_writes(user.id, DEFAULT_ROLE, user.role)
                )
        except ClientError as exc:
            raise EmailTaken(user.email) from exc
        return user

    def get_user(self, user_id: str) -> User | None:
        """See the port."""
        item = self._get(user_pk(user_id), PROFILE_SK)
        return None if item is None else _user_from_item(item)

    def get_user_by_email(self, email: str) -> User | None:
        """See the port."""
        guard = self._get(email_pk(email), EMAIL_SK)
        return None if guard is None else self.get_user(guard["user_id"])

    def update_user(self, user: User) -> User:
        """See the port; an email change moves the uniqueness guard in the same transaction."""
        current = self.get_user(user.id)
        if current is None:
            raise NotFound(user.id)
        item = _user_item(user)
        item["created_at"] = iso(current.created_at)
        writes: list[dict[str, Any]] = [self._put(item, "attribute_exists(PK)")]
        if current.email != user.email:
            writes.append(
                self._put(
                    {PK: email_pk(user.email), SK: EMAIL_SK, "user_id": user.id},
                    "attribute_not_exists(PK)",
                )
            )
            writes.append(
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": dump({PK: email_pk(current.email), SK: EMAIL_SK}),
                    }
                }
            )
        writes += self._role_listing_writes(user.id, current.role, user.role)
        try:
            with self._calls():
                self._client.transact_write_items(TransactItems=writes)
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons", [])
            if len(reasons) > 1 and reasons[1].get("Code") == "ConditionalCheckFailed":
                raise EmailTaken(user.email) from exc
            raise NotFound(user.id) from exc
        return user

    def delete_user(self, user_id: str) -> None:
        """See the port."""
        user = self.get_user(user_id)
        self.delete_user_sessions(user_id)
        keys = [
            {PK: item[PK], SK: item[SK]}
            for item in self._query(
                KeyConditionExpression="PK = :pk",
                ExpressionAttributeValues=dump({":pk": user_pk(user_id)}),
                ProjectionExpression="PK, SK",
            )
        ]
        if user is not None:
            keys.append({PK: email_pk(user.email), SK: EMAIL_SK})
            if user.role != DEFAULT_ROLE:
                keys.append({PK: role_pk(user.role), SK: role_member_sk(user.id)})
            if user.stripe_customer_id:
                keys.append(
                    {PK: stripe_customer_pk(user.stripe_customer_id), SK: STRIPE_CUSTOMER_SK}
                )
        self._delete_keys(keys)

    # --- download quota ---------------------------------------------------------------
    def get_quota(self, user_id: str) -> DownloadQuota:
        """See the port."""
        item = self._get(user_pk(user_id), QUOTA_SK)
        if item is None:
            raise NotFound(user_id)
        return _quota_from_item(item)

    def consume_download(self, user_id: str, limit: int, now: datetime) -> QuotaDecision:
        """See the port: one conditional UpdateItem decides each attempt."""
        key = dump({PK: user_pk(user_id), SK: QUOTA_SK})
        for _ in range(_MAX_WINDOW_RETRIES):
            try:
                with self._calls():
                    result = self._client.update_item(
                        TableName=self._table,
                        Key=key,
                        UpdateExpression="SET used = used + :one ADD total_downloads :one",
                        ConditionExpression="used < :limit AND reset_date > :now",
                        ExpressionAttributeValues=dump(
                            {":one": 1, ":limit": limit, ":now": iso(now)}
                        ),
                        ReturnValues="ALL_NEW",
                        ReturnValuesOnConditionCheckFailure="ALL_OLD",
                    )
                return self._decision(True, _quota_from_item(load(result["Attributes"])), limit)
            except ClientError as exc:
                old = exc.response.get("Item")
                if old is None:
                    raise NotFound(user_id) from exc
                quota = _quota_from_item(load(old))
            if quota.reset_date > now:
                return self._decision(False, quota, limit)
            self._restart_window(quota, now)
        raise Conflict(f"quota window for {user_id} kept moving")

    @staticmethod
    def _decision(granted: bool, quota: DownloadQuota, limit: int) -> QuotaDecision:
        return QuotaDecision(
            granted=granted,
            used=quota.used,
            limit=limit,
            reset_date=quota.reset_date,
            total_downloads=quota.total_downloads,
        )

    def _restart_window(self, quota: DownloadQuota, now: datetime) -> None:
        # Conditional on the reset_date we read: a concurrent restart makes this a no-op.
        try:
            with self._calls():
                self._client.update_item(
                    TableName=self._table,
                    Key=dump({PK: user_pk(quota.user_id), SK: QUOTA_SK}),
                    UpdateExpression="SET used = :zero, reset_date = :next",
                    ConditionExpression="reset_date = :old",
                    ExpressionAttributeValues=dump(
                        {
                            ":zero": 0,
                            ":next": iso(next_monthly_reset(quota.anchor_at, now)),
                            ":old": iso(quota.reset_date),
                        }
                    ),
                )
        except ClientError:
            return
