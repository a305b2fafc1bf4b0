"""Relational repository adapter (SQLModel/SQLAlchemy): SQLite by default, any SQL URL works."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    delete,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from keycraft.services.clock import next_monthly_reset
from keycraft.services.domain import (
    DownloadQuota,
    QuotaDecision,
    Session,
    User,
)
from keycraft.services.errors import Conflict, EmailTaken, NotFound
from keycraft.services.repository.sql.admin import SqlAdminMixin
from keycraft.services.repository.sql.auth import SqlAuthMixin
from keycraft.services.repository.sql.base import SqlBase, aware, maybe_aware, rowcount
from keycraft.services.repository.sql.billing import SqlBillingMixin
from keycraft.services.repository.sql.experiments import SqlExperimentsMixin
from keycraft.services.repository.sql.jobs import SqlJobsMixin
from keycraft.services.repository.sql.projects import SqlProjectsMixin
from keycraft.services.repository.sql.tables import (
    DownloadQuotaRow,
    ProjectRow,
    SessionRow,
    UserRow,
)

_MAX_WINDOW_RETRIES = 5


def _user_from_row(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        created_at=aware(row.created_at),
        password_hash=row.password_hash,
        email_verified=row.email_verified,
        role=row.role,
        has_paid=row.has_paid,
        active_plans=tuple(row.active_plans or ()),
        stripe_customer_id=row.stripe_customer_id,
        subscription_id=row.subscription_id,
        subscription_status=row.subscription_status,
        subscription_plan=row.subscription_plan,
        current_period_end=maybe_aware(row.current_period_end),
        cancel_at_period_end=row.cancel_at_period_end,
        subscription_updated_at=maybe_aware(row.subscription_updated_at),
    )


def _user_values(user: User) -> dict[str, Any]:
    return {
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
        "current_period_end": user.current_period_end,
        "cancel_at_period_end": user.cancel_at_period_end,
        "subscription_updated_at": user.subscription_updated_at,
        "created_at": user.created_at,
    }


def _session_from_row(row: SessionRow) -> Session:
    return Session(
        token_hash=row.token_hash,
        user_id=row.user_id,
        created_at=aware(row.created_at),
        last_seen_at=aware(row.last_seen_at),
        expires_at=aware(row.expires_at),
        user_agent=row.user_agent,
    )


def _quota_from_row(row: DownloadQuotaRow) -> DownloadQuota:
    return DownloadQuota(
        user_id=row.user_id,
        used=row.used,
        reset_date=aware(row.reset_date),
        total_downloads=row.total_downloads,
        anchor_at=aware(row.anchor_at),
    )


class SqlModelRepository(
    SqlAuthMixin,
    SqlBillingMixin,
    SqlExperimentsMixin,
    SqlAdminMixin,
    SqlJobsMixin,
    SqlProjectsMixin,
    SqlBase,
):
    """A :class:`~keycraft.services.repository.port.Repository` over SQLAlchemy."""

    # --- users -----------------------------------------------------------------------
    def create_user(self, user: User) -> User:
        """See the port."""
        try:
            with self._tx() as db:
                db.add(UserRow(**_user_values(user)))
                db.flush()
                db.add(
                    DownloadQuotaRow(
                        user_id=user.id,
                        used=0,
                        reset_date=next_monthly_reset(user.created_at, user.created_at),
                        total_downloads=0,
                        anchor_at=user.created_at,
                    )
                )
        except IntegrityError as exc:
            raise EmailTaken(user.email) from exc
        return user

    def get_user(self, user_id: str) -> User | None:
        """See the port."""
        with self._tx() as db:
            row = db.get(UserRow, user_id)
            return None if row is None else _user_from_row(row)

    def get_user_by_email(self, email: str) -> User | None:
        """See the port."""
        with self._tx() as db:
            row = db.scalars(select(UserRow).where(col(UserRow.email) == email)).first()
            return None if row is None else _user_from_row(row)

    def update_user(self, user: User) -> User:
        """See the port."""
        values = _user_values(user)
        values.pop("id")
        values.pop("created_at")
        try:
            with self._tx() as db:
                statement = update(UserRow).where(col(UserRow.id) == user.id).values(**values)
                result = db.execute(statement)
                if rowcount(result) == 0:
                    raise NotFound(user.id)
        except IntegrityError as exc:
            raise EmailTaken(user.email) from exc
        return user

    def delete_user(self, user_id: str) -> None:
        """See the port."""
        with self._tx() as db:
            db.execute(delete(SessionRow).where(col(SessionRow.user_id) == user_id))
            db.execute(delete(ProjectRow).where(col(ProjectRow.user_id) == user_id))
            db.execute(delete(DownloadQuotaRow).where(col(DownloadQuotaRow.user_id) == user_id))
            db.execute(delete(UserRow).where(col(UserRow.id) == user_id))

    # --- sessions --------------------------------------------------------------------
    def create_session(self, session: Session) -> None:
        """See the port."""
        with self._tx() as db:
            db.add(
                SessionRow(
                    token_hash=session.token_hash,
                    user_id=session.user_id,
                    created_at=session.created_at,
                    last_seen_at=session.last_seen_at,
                    expires_at=session.expires_at,
                    user_agent=session.user_agent[:400],
                )
            )

    def get_session(self, token_hash: str) -> Session | None:
        """See the port."""
        with self._tx() as db:
            row = db.get(SessionRow, token_hash)
            return None if row is None else _session_from_row(row)

    def touch_session(self, token_hash: str, last_seen_at: datetime, expires_at: datetime) -> None:
        """See the port."""
        with self._tx() as db:
            db.execute(
                update(SessionRow)
                .where(col(SessionRow.token_hash) == token_hash)
                .values(last_seen_at=last_seen_at, expires_at=expires_at)
            )

    def delete_session(self, token_hash: str) -> None:
        """See the port."""
        with self._tx() as db:
            db.execute(delete(SessionRow).where(col(SessionRow.token_hash) == token_hash))

    def list_user_sessions(self, user_id: str) -> list[Session]:
        """See the port."""
        with self._tx() as db:
            rows = db.scalars(
                select(SessionRow)
                .where(col(SessionRow.user_id) == user_id)
                .order_by(col(SessionRow.created_at).desc())
            ).all()
            return [_session_from_row(r) for r in rows]

    def delete_user_sessions(self, user_id: str) -> int:
        """See the port."""
        with self._tx() as db:
            result = db.execute(delete(SessionRow).where(col(SessionRow.user_id) == user_id))
            return int(rowcount(result))

    # --- download quota ---------------------------------------------------------------
    def get_quota(self, user_id: str) -> DownloadQuota:
        """See the port."""
        with self._tx() as db:
            row = db.get(DownloadQuotaRow, user_id)
            if row is None:
                raise NotFound(user_id)
            return _quota_from_row(row)

    def consume_download(self, user_id: str, limit: int, now: datetime) -> QuotaDecision:
        """See the port.

        Each step is one conditional UPDATE, so the database's row lock decides the race:
        the increment only matches while ``used < limit`` inside an unexpired window, and a
        window restart only matches the ``reset_date`` that was read.
        """
        for _ in range(_MAX_WINDOW_RETRIES):
            with self._tx() as db:
                taken = db.execute(
                    update(DownloadQuotaRow)
                    .where(
                        col(DownloadQuotaRow.user_id) == user_id,
                        col(DownloadQuotaRow.used) < limit,
                        col(DownloadQuotaRow.reset_date) > now,
                    )
                    .values(
                        used=col(DownloadQuotaRow.used) + 1,
                        total_downloads=col(DownloadQuotaRow.total_downloads) + 1,
                    )
                )
                granted = rowcount(taken) == 1
                row = db.get(DownloadQuotaRow, user_id)
                if row is None:
                    raise NotFound(user_id)
                quota = _quota_from_row(row)
            if granted or quota.reset_date > now:
                return QuotaDecision(
                    granted=granted,
                    used=quota.used,
                    limit=limit,
                    reset_date=quota.reset_date,
                    total_downloads=quota.total_downloads,
                )
            self._restart_window(quota, now)
        raise Conflict(f"quota window for {user_id} kept moving")

    def _restart_window(self, quota: DownloadQuota, now: datetime) -> None:
        # Matches only the reset_date we read: if another caller restarted the window
        # first, this is a no-op and the retry loop sees the fresh window.
        with self._tx() as db:
            db.execute(
                update(DownloadQuotaRow)
                .where(
                    col(DownloadQuotaRow.user_id) == quota.user_id,
                    col(DownloadQuotaRow.reset_date) == quota.reset_date,
                )
                .values(used=0, reset_date=next_monthly_reset(quota.anchor_at, now))
            )
