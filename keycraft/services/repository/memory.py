"""In-process repository for unit tests and throwaway runs; one lock makes it atomic."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime

from keycraft.services.clock import next_monthly_reset
from keycraft.services.domain import (
    DownloadQuota,
    Project,
    ProjectSummary,
    QuotaDecision,
    Session,
    User,
)
from keycraft.services.errors import Conflict, EmailTaken, NotFound


class MemoryRepository:
    """A dict-backed :class:`~keycraft.services.repository.port.Repository`."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._users: dict[str, User] = {}
        self._quotas: dict[str, DownloadQuota] = {}
        self._sessions: dict[str, Session] = {}
        self._projects: dict[tuple[str, str], Project] = {}

    def ping(self) -> None:
        """Always reachable."""

    def create_user(self, user: User) -> User:
        """See the port."""
        with self._lock:
            if any(u.email == user.email for u in self._users.values()):
                raise EmailTaken(user.email)
            self._users[user.id] = user
            self._quotas[user.id] = DownloadQuota(
                user_id=user.id,
                used=0,
                reset_date=next_monthly_reset(user.created_at, user.created_at),
                total_downloads=0,
                anchor_at=user.created_at,
            )
            return user

    def get_user(self, user_id: str) -> User | None:
        """See the port."""
        return self._users.get(user_id)

    def get_user_by_email(self, email: str) -> User | None:
        """See the port."""
        with self._lock:
            return next((u for u in self._users.values() if u.email == email), None)

    def update_user(self, user: User) -> User:
        """See the port."""
        with self._lock:
            if user.id not in self._users:
                raise NotFound(user.id)
            clash = self.get_user_by_email(user.email)
            if clash is not None and clash.id != user.id:
                raise EmailTaken(user.email)
            self._users[user.id] = user
            return user

    def delete_user(self, user_id: str) -> None:
        """See the port."""
        with self._lock:
            self._users.pop(user_id, None)
            self._quotas.pop(user_id, None)
            self.delete_user_sessions(user_id)
            for key in [k for k in self._projects if k[0] == user_id]:
                del self._projects[key]

    def create_session(self, session: Session) -> None:
        """See the port."""
        with self._lock:
            self._sessions[session.token_hash] = session

    def get_session(self, token_hash: str) -> Session | None:
        """See the port."""
        return self._sessions.get(token_hash)

    def touch_session(self, token_hash: str, last_seen_at: datetime, expires_at: datetime) -> None:
        """See the port."""
        with self._lock:
            current = self._sessions.get(token_hash)
            if current is not None:
                self._sessions[token_hash] = replace(
                    current, last_seen_at=last_seen_at, expires_at=expires_at
                )

    def delete_session(self, token_hash: str) -> None:
        """See the port."""
        with self._lock:
            self._sessions.pop(token_hash, None)

    def list_user_sessions(self, user_id: str) -> list[Session]:
        """See the port."""
        with self._lock:
            found = [s for s in self._sessions.values() if s.user_id == user_id]
        return sorted(found, key=lambda s: s.created_at, reverse=True)

    def delete_user_sessions(self, user_id: str) -> int:
        """See the port."""
        with self._lock:
            doomed = [h for h, s in self._sessions.items() if s.user_id == user_id]
            for token_hash in doomed:
                del self._sessions[token_hash]
            return len(doomed)

    def get_quota(self, user_id: str) -> DownloadQuota:
        """See the port."""
        quota = self._quotas.get(user_id)
        if quota is None:
            raise NotFound(user_id)
        return quota

    def consume_download(self, user_id: str, limit: int, now: datetime) -> QuotaDecision:
        """See the port."""
        with self._lock:
            quota = self.get_quota(user_id)
            if quota.reset_date <= now:
                quota = replace(quota, used=0, reset_date=next_monthly_reset(quota.anchor_at, now))
            granted = quota.used < limit
            if granted:
                quota = replace(
                    quota, used=quota.used + 1, total_downloads=quota.total_downloads + 1
                )
            self._quotas[user_id] = quota
            return QuotaDecision(
                granted=granted,
                used=quota.used,
                limit=limit,
                reset_date=quota.reset_date,
                total_downloads=quota.total_downloads,
            )

    def create_project(self, project: Project) -> Project:
        """See the port."""
        with self._lock:
            self._projects[(project.user_id, project.id)] = project
            return project

    def get_project(self, user_id: str, project_id: str) -> Project | None:
        """See the port."""
        return self._projects.get((user_id, project_id))

    def list_projects(self, user_id: str) -> list[ProjectSummary]:
        """See the port."""
        with self._lock:
            mine = [p.summary() for (owner, _), p in self._projects.items() if owner == user_id]
        return sorted(mine, key=lambda p: p.updated_at, reverse=True)

    def save_project(self, project: Project, expected_version: int) -> Project:
        """See the port."""
        with self._lock:
            current = self._projects.get((project.user_id, project.id))
            if current is None:
                raise NotFound(project.id)
            if current.version != expected_version:
                raise Conflict(project.id)
            stored = replace(project, version=expected_version + 1, created_at=current.created_at)
            self._projects[(project.user_id, project.id)] = stored
            return stored

    def delete_project(self, user_id: str, project_id: str) -> None:
        """See the port."""
        with self._lock:
            self._projects.pop((user_id, project_id), None)
