"""Relational billing operations: customer lookup and exactly-once Stripe events."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from keycraft.services.billing.state import BillingOutcome, BillingState
from keycraft.services.domain import User
from keycraft.services.errors import NotFound
from keycraft.services.repository.sql.base import SqlBase, rowcount
from keycraft.services.repository.sql.tables import StripeEventRow, UserRow


class SqlBillingMixin(SqlBase):
    """Billing half of the relational repository."""

    def get_user_by_stripe_customer(self, customer_id: str) -> User | None:
        """See ``BillingStore``."""
        if not customer_id:
            return None
        with self._tx() as db:
            row = db.scalars(
                select(UserRow).where(col(UserRow.stripe_customer_id) == customer_id)
            ).first()
            user_id = row.id if row else None
        return None if user_id is None else self.get_user(user_id)

    if TYPE_CHECKING:  # provided by the adapter class this mixin is combined with

        def get_user(self, user_id: str) -> User | None:
            """See the port."""

    def has_processed_event(self, event_id: str) -> bool:
        """See ``BillingStore``."""
        with self._tx() as db:
            return db.get(StripeEventRow, event_id) is not None

    def apply_billing_event(
        self,
        event_id: str,
        event_type: str,
        user_id: str,
        state: BillingState,
        as_of: datetime,
        processed_at: datetime,
    ) -> BillingOutcome:
        """See ``BillingStore``: event row and user update commit or roll back together."""
        values = asdict(state)
        values["active_plans"] = list(state.active_plans)
        try:
            with self._tx() as db:
                if db.get(UserRow, user_id) is None:
                    raise NotFound(user_id)
                applied = rowcount(
                    db.execute(
                        update(UserRow)
                        .where(
                            col(UserRow.id) == user_id,
                            or_(
                                col(UserRow.subscription_updated_at).is_(None),
                                col(UserRow.subscription_updated_at) <= as_of,
                            ),
                        )
                        .values(subscription_updated_at=as_of, **values)
                    )
                )
                outcome = BillingOutcome.APPLIED if applied else BillingOutcome.STALE
                db.add(
                    StripeEventRow(
                        event_id=event_id,
                        event_type=event_type,
                        user_id=user_id,
                        outcome=outcome.value,
                        processed_at=processed_at,
                    )
                )
                db.flush()  # the primary key decides replays inside this transaction
        except IntegrityError:
            return BillingOutcome.DUPLICATE
        return outcome
