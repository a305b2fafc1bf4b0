"""Staff operations of the DynamoDB adapter (a mixin on ``DynamoBase``).

Items (see docs/data-model.md): ``EXPLIFE/<key>`` holds one experiment's lifecycle, written
only if its ``revision`` is the one the writer read; ``AUDIT/<at>#<id>`` is the audit log
in time order (one small partition: admin actions are rare); ``ROLE#<role>/USER#<id>``
lists the users holding a special role, kept by the user writes; daily counters
``EXPERIMENT#<key>#<version>/DAY#<day>#<variant>#<event>`` are added with each event.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from botocore.exceptions import ClientError

from keycraft.services.audit import AuditEntry
from keycraft.services.domain import User
from keycraft.services.errors import Conflict
from keycraft.services.experiments.lifecycle import Lifecycle
from keycraft.services.experiments.model import DailyTally, Status, Variant
from keycraft.services.repository.dynamodb.base import (
    DynamoBase,
    dump,
    is_condition_failure,
    load,
    opt_iso,
    opt_time,
)
from keycraft.services.repository.dynamodb.experiments import DAY_PREFIX, experiment_pk
from keycraft.services.repository.dynamodb.keys import PK, SK, iso, parse_iso

LIFECYCLE_PK = "EXPLIFE"
AUDIT_PK = "AUDIT"


def role_pk(role: str) -> str:
    """Partition listing the users who hold ``role``."""
    return f"ROLE#{role}"


def role_member_sk(user_id: str) -> str:
    """Sort key of one user in a role listing."""
    return f"USER#{user_id}"


def _lifecycle_item(lifecycle: Lifecycle) -> dict[str, Any]:
    return {
        PK: LIFECYCLE_PK,
        SK: lifecycle.experiment_key,
        "status": lifecycle.status.value,
        "version": lifecycle.version,
        "weights": [{"key": v.key, "weight": v.weight} for v in lifecycle.weights],
        "ramp_percent": lifecycle.ramp_percent,
        "winner": lifecycle.winner,
        "revision": lifecycle.revision,
        "updated_at": opt_iso(lifecycle.updated_at),
        "updated_by": lifecycle.updated_by,
    }


def _lifecycle_from_item(item: dict[str, Any]) -> Lifecycle:
    return Lifecycle(
        experiment_key=str(item[SK]),
        status=Status(item["status"]),
        version=int(item["version"]),
        weights=tuple(Variant(str(w["key"]), int(w["weight"])) for w in item["weights"]),
        ramp_percent=int(item["ramp_percent"]),
        winner=str(item.get("winner", "")),
        revision=int(item["revision"]),
        updated_at=opt_time(item.get("updated_at")),
        updated_by=str(item.get("updated_by", "")),
    )


class DynamoAdminMixin(DynamoBase):
    """Lifecycles under a revision condition, the audit partition, role listings."""

    def get_user(self, user_id: str) -> User | None:
        """See the port (the repository class provides it)."""
        raise NotImplementedError

    def list_experiment_lifecycles(self) -> list[Lifecycle]:
        """See the port."""
        items = self._query(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=dump({":pk": LIFECYCLE_PK}),
            ConsistentRead=True,
        )
        return [_lifecycle_from_item(item) for item in items]

    def save_experiment_lifecycle(self, lifecycle: Lifecycle) -> None:
        """See the port."""
        if lifecycle.revision == 1:
            condition, values = "attribute_not_exists(PK)", None
        else:
            condition, values = "revision = :previous", {":previous": lifecycle.revision - 1}
        try:
            with self._calls():
                kwargs: dict[str, Any] = {
                    "TableName": self._table,
                    "Item": dump(_lifecycle_item(lifecycle)),
                    "ConditionExpression": condition,
                }
                if values:
                    kwargs["ExpressionAttributeValues"] = dump(values)
                self._client.put_item(**kwargs)
        except ClientError as exc:
            if is_condition_failure(exc):
                raise Conflict(lifecycle.experiment_key) from exc
            raise

    def add_audit_entry(self, entry: AuditEntry) -> None:
        """See the port."""
        item = {
            PK: AUDIT_PK,
            SK: f"{iso(entry.at)}#{entry.id}",
            "id": entry.id,
            "at": iso(entry.at),
            "actor": entry.actor,
            "action": entry.action,
            "target": entry.target,
            "detail": entry.detail,
        }
        with self._calls():
            self._client.put_item(TableName=self._table, Item=dump(item))

    def list_audit_entries(self, limit: int) -> list[AuditEntry]:
        """See the port."""
        with self._calls():
            found = self._client.query(
                TableName=self._table,
                KeyConditionExpression="PK = :pk",
                ExpressionAttributeValues=dump({":pk": AUDIT_PK}),
                ScanIndexForward=False,
                Limit=limit,
                ConsistentRead=True,
            )
        entries = []
        for raw in found.get("Items", []):
            item = load(raw)
            entries.append(
                AuditEntry(
                    id=item["id"],
                    at=parse_iso(item["at"]),
                    actor=item["actor"],
                    action=item["action"],
                    target=item["target"],
                    detail=item.get("detail", ""),
                )
            )
        return entries

    def list_users_with_role(self, role: str) -> list[User]:
        """See the port; a listing left behind by a racing write is checked against the user."""
        items = self._query(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=dump({":pk": role_pk(role)}),
            ConsistentRead=True,
        )
        ids = [str(item[SK]).removeprefix("USER#") for item in items]
        users = [user for user_id in ids if (user := self.get_user(user_id)) is not None]
        return sorted((user for user in users if user.role == role), key=lambda u: u.email)

    def experiment_daily_tallies(self, key: str, version: int) -> list[DailyTally]:
        """See the port."""
        items = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=dump(
                {":pk": experiment_pk(key, version), ":prefix": DAY_PREFIX}
            ),
            ConsistentRead=True,
        )
        tallies = []
        for item in items:
            day, variant, event = str(item[SK]).removeprefix(DAY_PREFIX).split("#", 2)
            tallies.append(DailyTally(date.fromisoformat(day), variant, event, int(item["count"])))
        return sorted(tallies, key=lambda t: (t.day, t.variant, t.event))
