"""Experiments operations of the DynamoDB adapter (a mixin on ``DynamoBase``).

Items (see docs/data-model.md): ``EXPDEF#<key>#<version>/EXPDEF`` holds the weights
fingerprint; ``VISITOR#<vid>/EXPOSURE#<key>#<version>`` and
``VISITOR#<vid>/CONVERSION#<key>#<version>#<metric>`` are once-only events; each is written in
one transaction with an atomic ``ADD`` on its counter ``EXPERIMENT#<key>#<version>/
COUNT#<variant>#<event>`` and on that day's ``DAY#<yyyy-mm-dd>#<variant>#<event>``, so
results and their history are one query each however many visitors there are.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from botocore.exceptions import ClientError

from keycraft.services.experiments.model import EXPOSURE, Conversion, Exposure, Tally
from keycraft.services.repository.dynamodb.base import DynamoBase, dump, is_condition_failure
from keycraft.services.repository.dynamodb.keys import PK, PROFILE_SK, SK, iso, parse_iso, user_pk

_ABSENT = "attribute_not_exists(PK)"


def visitor_pk(visitor_id: str) -> str:
    """Partition of everything recorded about one anonymous visitor."""
    return f"VISITOR#{visitor_id}"


def experiment_pk(key: str, version: int) -> str:
    """Partition of one experiment version's counters."""
    return f"EXPERIMENT#{key}#{version}"


def _exposure_sk(key: str, version: int) -> str:
    return f"EXPOSURE#{key}#{version}"


def _counter_sk(variant: str, event: str) -> str:
    return f"COUNT#{variant}#{event}"


DAY_PREFIX = "DAY#"


def day_counter_sk(day: date, variant: str, event: str) -> str:
    """Sort key of one UTC day's counter of a variant's event."""
    return f"{DAY_PREFIX}{day.isoformat()}#{variant}#{event}"


LINK_SK = "LINK"
EXPDEF_SK = "EXPDEF"


class DynamoExperimentsMixin(DynamoBase):
    """Once-only event items plus atomic per-variant counters."""

    def _add_one(self, pk: str, sk: str) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table,
                "Key": dump({PK: pk, SK: sk}),
                "UpdateExpression": "ADD #count :one",
                "ExpressionAttributeNames": {"#count": "count"},
                "ExpressionAttributeValues": dump({":one": 1}),
            }
        }

    def _put_once_and_count(
        self, item: dict[str, Any], counter_pk: str, variant: str, event: str, at: datetime
    ) -> bool:
        day = at.astimezone(UTC).date()
        try:
            with self._calls():
                self._client.transact_write_items(
                    TransactItems=[
                        self._put(item, _ABSENT),
                        self._add_one(counter_pk, _counter_sk(variant, event)),
                        self._add_one(counter_pk, day_counter_sk(day, variant, event)),
                    ]
                )
        except ClientError as exc:
            if is_condition_failure(exc):
                return False  # already recorded: the counter was not touched either
            raise
        return True

    def _put_if_absent(self, item: dict[str, Any]) -> None:
        try:
            with self._calls():
                self._client.put_item(
                    TableName=self._table, Item=dump(item), ConditionExpression=_ABSENT
                )
        except ClientError as exc:
            if not is_condition_failure(exc):
                raise

    def lock_experiment_definition(
        self, key: str, version: int, fingerprint: str, now: datetime
    ) -> str:
        """See the port."""
        pk = f"EXPDEF#{key}#{version}"
        self._put_if_absent({PK: pk, SK: EXPDEF_SK, "fingerprint": fingerprint, "at": iso(now)})
        stored = self._get(pk, EXPDEF_SK)
        assert stored is not None  # written above or by the racer that beat us
        return str(stored["fingerprint"])

    def record_exposure(self, exposure: Exposure) -> bool:
        """See the port."""
        item = {
            PK: visitor_pk(exposure.visitor_id),
            SK: _exposure_sk(exposure.experiment_key, exposure.version),
            "experiment_key": exposure.experiment_key,
            "version": exposure.version,
            "variant": exposure.variant,
            "exposed_at": iso(exposure.exposed_at),
        }
        return self._put_once_and_count(
            item,
            experiment_pk(exposure.experiment_key, exposure.version),
            exposure.variant,
            EXPOSURE,
            exposure.exposed_at,
        )

    def list_visitor_exposures(self, visitor_id: str) -> list[Exposure]:
        """See the port."""
        items = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=dump({":pk": visitor_pk(visitor_id), ":prefix": "EXPOSURE#"}),
            ConsistentRead=True,
        )
        return [
            Exposure(
                experiment_key=item["experiment_key"],
                version=int(item["version"]),
                visitor_id=visitor_id,
                variant=item["variant"],
                exposed_at=parse_iso(item["exposed_at"]),
            )
            for item in items
        ]

    def record_conversion(self, conversion: Conversion) -> bool:
        """See the port."""
        item = {
            PK: visitor_pk(conversion.visitor_id),
            SK: f"CONVERSION#{conversion.experiment_key}#{conversion.version}#"
            f"{conversion.metric.value}",
            "variant": conversion.variant,
            "converted_at": iso(conversion.converted_at),
        }
        return self._put_once_and_count(
            item,
            experiment_pk(conversion.experiment_key, conversion.version),
            conversion.variant,
            conversion.metric.value,
            conversion.converted_at,
        )

    def link_visitor(self, visitor_id: str, user_id: str, now: datetime) -> str:
        """See the port: the visitor's link and the user's listing item land together."""
        link = {PK: visitor_pk(visitor_id), SK: LINK_SK, "user_id": user_id, "at": iso(now)}
        listing = {PK: user_pk(user_id), SK: f"VISITOR#{visitor_id}", "at": iso(now)}
        try:
            with self._calls():
                self._client.transact_write_items(
                    TransactItems=[
                        self._put(link, _ABSENT),
                        {
                            # Only for an existing user, as the SQL foreign key demands.
                            "ConditionCheck": {
                                "TableName": self._table,
                                "Key": dump({PK: user_pk(user_id), SK: PROFILE_SK}),
                                "ConditionExpression": "attribute_exists(PK)",
                            }
                        },
                        self._put(listing),
                    ]
                )
        except ClientError as exc:
            if not is_condition_failure(exc):
                raise
        stored = self._get(visitor_pk(visitor_id), LINK_SK)
        return str(stored["user_id"]) if stored else ""

    def list_user_visitors(self, user_id: str) -> list[str]:
        """See the port."""
        items = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=dump({":pk": user_pk(user_id), ":prefix": "VISITOR#"}),
            ConsistentRead=True,
        )
        ordered = sorted(items, key=lambda item: (item["at"], item[SK]))
        return [str(item[SK]).removeprefix("VISITOR#") for item in ordered]

    def experiment_tallies(self, key: str, version: int) -> list[Tally]:
        """See the port."""
        items = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=dump(
                {":pk": experiment_pk(key, version), ":prefix": "COUNT#"}
            ),
            ConsistentRead=True,
        )
        tallies = []
        for item in items:
            _, variant, event = str(item[SK]).split("#", 2)
            tallies.append(Tally(variant, event, int(item["count"])))
        return sorted(tallies, key=lambda t: (t.variant, t.event))
