"""Users and their monthly download quota, in memory (see ``port.Repository``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Protocol, TypeVar

from keycraft.services.clock import next_monthly_reset
from keycraft.services.domain import DownloadQuota, QuotaDecision, User
from keycraft.services.errors import EmailTaken, NotFound
from keycraft.services.repository.memory.base import MemoryBase
from keycraft.services.repository.memory.copying import detached


class _Owned(Protocol):
    @property
    def user_id(self) -> str: ...


K = TypeVar("K")
V = TypeVar("V", bound=_Owned)


def _drop_owned(table: dict[K, V], user_id: str) -> None:
    for key in [k for k, v in table.items() if v.user_id == user_id]:
        del table[key]


class MemoryUsersMixin(MemoryBase):
    """Users with unique emails, their quota, and the cascade when one is deleted."""

    def create_user(self, user: User) -> User:
        """See the port; a taken id is refused like a taken email (one unique row each)."""
        with self._lock:
            tables = self._tables
            if user.id in tables.users or user.email in tables.user_ids_by_email:
                raise EmailTaken(user.email)
            tables.users[user.id] = detached(user)
            tables.user_ids_by_email[user.email] = user.id
            tables.quotas[user.id] = DownloadQuota(
                user_id=user.id,
                used=0,
                reset_date=next_monthly_reset(user.created_at, user.created_at),
                total_downloads=0,
                anchor_at=user.created_at,
            )
        return user

    def get_user(self, user_id: str) -> User | None:
        """See the port."""
        with self._lock:
            return detached(self._tables.users.get(user_id))

    def get_user_by_email(self, email: str) -> User | None:
        """See the port."""
        with self._lock:
            user_id = self._tables.user_ids_by_email.get(email)
            return None if user_id is None else detached(self._tables.users.get(user_id))

    def update_user(self, user: User) -> User:
        """See the port; the account's creation time stays as stored."""
        with self._lock:
            tables = self._tables
            current = tables.users.get(user.id)
            if current is None:
                raise NotFound(user.id)
            holder = tables.user_ids_by_email.get(user.email)
            if holder is not None and holder != user.id:
                raise EmailTaken(user.email)
            del tables.user_ids_by_email[current.email]
            tables.user_ids_by_email[user.email] = user.id
            tables.users[user.id] = detached(replace(user, created_at=current.created_at))
        return user

    def delete_user(self, user_id: str) -> None:
        """See the port; also what the relational foreign keys cascade to."""
        with self._lock:
            tables = self._tables
            user = tables.users.pop(user_id, None)
            if user is not None:
                tables.user_ids_by_email.pop(user.email, None)
            tables.quotas.pop(user_id, None)
            _drop_owned(tables.sessions, user_id)
            _drop_owned(tables.projects, user_id)
            _drop_owned(tables.oauth_accounts, user_id)
            _drop_owned(tables.visitor_links, user_id)
            _drop_owned(tables.jobs, user_id)
            for key in [k for k in tables.seconds_used if k[0] == user_id]:
                del tables.seconds_used[key]

    # --- download quota ---------------------------------------------------------------
    def get_quota(self, user_id: str) -> DownloadQuota:
        """See the port."""
        with self._lock:
            quota = self._tables.quotas.get(user_id)
            if quota is None:
                raise NotFound(user_id)
            return quota

    def consume_download(self, user_id: str, limit: int, now: datetime) -> QuotaDecision:
        """See the port: the window restart and the grant happen under one lock."""
        with self._lock:
            quota = self._tables.quotas.get(user_id)
            if quota is None:
                raise NotFound(user_id)
            if quota.reset_date <= now:
                quota = replace(quota, used=0, reset_date=next_monthly_reset(quota.anchor_at, now))
            granted = quota.used < limit
            if granted:
                quota = replace(
                    quota, used=quota.used + 1, total_downloads=quota.total_downloads + 1
                )
            self._tables.quotas[user_id] = quota
        return QuotaDecision(
            granted=granted,
            used=quota.used,
            limit=limit,
            reset_date=quota.reset_date,
            total_downloads=quota.total_downloads,
        )
