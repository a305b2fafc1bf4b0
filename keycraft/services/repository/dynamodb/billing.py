"""DynamoDB billing operations: one transaction records the event and updates the user."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from keycraft.services.billing.state import BillingOutcome, BillingState
from keycraft.services.domain import User
from keycraft.services.errors import NotFound
from keycraft.services.repository.dynamodb.base import DynamoBase, dump, opt_iso
from keycraft.services.repository.dynamodb.keys import (
    PK,
    PROFILE_SK,
    SK,
    STRIPE_CUSTOMER_SK,
    STRIPE_EVENT_RETENTION_DAYS,
    STRIPE_EVENT_SK,
    TTL_ATTRIBUTE,
    iso,
    stripe_customer_pk,
    stripe_event_pk,
    user_pk,
)


def _state_update(state: BillingState, as_of: datetime) -> tuple[str, dict[str, Any], list[str]]:
    """Build ``SET``/``REMOVE`` clauses: DynamoDB cannot store None, so None removes."""
    fields: dict[str, Any] = {
        "stripe_customer_id": state.stripe_customer_id,
        "subscription_id": state.subscription_id,
        "subscription_status": state.subscription_status,
        "subscription_plan": state.subscription_plan,
        "current_period_end": opt_iso(state.current_period_end),
        "cancel_at_period_end": state.cancel_at_period_end,
        "active_plans": list(state.active_plans),
        "has_paid": state.has_paid,
        "subscription_updated_at": iso(as_of),
    }
    sets = [f"{name} = :{name}" for name, value in fields.items() if value is not None]
    removes = [name for name, value in fields.items() if value is None]
    values = {f":{name}": value for name, value in fields.items() if value is not None}
    expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
    return expression, values, removes


class DynamoBillingMixin(DynamoBase):
    """Billing half of the DynamoDB repository."""

    if TYPE_CHECKING:  # provided by the adapter class this mixin is combined with

        def get_user(self, user_id: str) -> User | None:
            """See the port."""

    def get_user_by_stripe_customer(self, customer_id: str) -> User | None:
        """See ``BillingStore``."""
        if not customer_id:
            return None
        guard = self._get(stripe_customer_pk(customer_id), STRIPE_CUSTOMER_SK)
        return None if guard is None else self.get_user(guard["user_id"])

    def has_processed_event(self, event_id: str) -> bool:
        """See ``BillingStore``."""
        return self._get(stripe_event_pk(event_id), STRIPE_EVENT_SK) is not None

    def _event_item(
        self,
        event_id: str,
        event_type: str,
        user_id: str,
        outcome: BillingOutcome,
        processed_at: datetime,
    ) -> dict[str, Any]:
        return {
            PK: stripe_event_pk(event_id),
            SK: STRIPE_EVENT_SK,
            "event_type": event_type,
            "user_id": user_id,
            "outcome": outcome.value,
            "processed_at": iso(processed_at),
            TTL_ATTRIBUTE: int(
                (processed_at + timedelta(days=STRIPE_EVENT_RETENTION_DAYS)).timestamp()
            ),
        }

    def apply_billing_event(
        self,
        event_id: str,
        event_type: str,
        user_id: str,
        state: BillingState,
        as_of: datetime,
        processed_at: datetime,
    ) -> BillingOutcome:
        """See ``BillingStore``."""
        expression, values, _ = _state_update(state, as_of)
        absent = "attribute_not_exists(PK)"
        event = self._event_item(
            event_id, event_type, user_id, BillingOutcome.APPLIED, processed_at
        )
        guard = {
            PK: stripe_customer_pk(state.stripe_customer_id),
            SK: STRIPE_CUSTOMER_SK,
            "user_id": user_id,
        }
        writes: list[dict[str, Any]] = [
            self._put(event, absent),
            {
                "Update": {
                    "TableName": self._table,
                    "Key": dump({PK: user_pk(user_id), SK: PROFILE_SK}),
                    "UpdateExpression": expression,
                    "ConditionExpression": "attribute_exists(PK) AND "
                    "(attribute_not_exists(subscription_updated_at) OR "
                    "subscription_updated_at <= :subscription_updated_at)",
                    "ExpressionAttributeValues": dump(values),
                }
            },
        ]
        if state.stripe_customer_id:
            writes.append(self._put(guard))
        try:
            with self._calls():
                self._client.transact_write_items(TransactItems=writes)
        except ClientError as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                return BillingOutcome.DUPLICATE
            if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                return self._record_stale(event_id, event_type, user_id, processed_at)
            raise
        return BillingOutcome.APPLIED

    def _record_stale(
        self, event_id: str, event_type: str, user_id: str, processed_at: datetime
    ) -> BillingOutcome:
        if self.get_user(user_id) is None:
            raise NotFound(user_id)
        item = self._event_item(event_id, event_type, user_id, BillingOutcome.STALE, processed_at)
        try:
            with self._calls():
                self._client.put_item(
                    TableName=self._table,
                    Item=dump(item),
                    ConditionExpression="attribute_not_exists(PK)",
                )
        except ClientError:
            return BillingOutcome.DUPLICATE
        return BillingOutcome.STALE
