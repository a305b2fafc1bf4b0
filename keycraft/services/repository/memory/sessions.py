"""Browser sessions, in memory (see ``port.Repository``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from keycraft.services.domain import Session
from keycraft.services.repository.memory.base import MemoryBase
from keycraft.services.repository.memory.copying import detached

_USER_AGENT_CHARS = 400
"""As much of the browser's user agent as the other adapters keep."""


class MemorySessionsMixin(MemoryBase):
    """Sessions by token hash; like the relational adapter, expired ones stay until revoked."""

    def create_session(self, session: Session) -> None:
        """See the port."""
        stored = replace(detached(session), user_agent=session.user_agent[:_USER_AGENT_CHARS])
        with self._lock:
            self._tables.sessions[session.token_hash] = stored

    def get_session(self, token_hash: str) -> Session | None:
        """See the port."""
        with self._lock:
            return detached(self._tables.sessions.get(token_hash))

    def touch_session(self, token_hash: str, last_seen_at: datetime, expires_at: datetime) -> None:
        """See the port."""
        with self._lock:
            session = self._tables.sessions.get(token_hash)
            if session is not None:
                self._tables.sessions[token_hash] = replace(
                    session, last_seen_at=last_seen_at, expires_at=expires_at
                )

    def delete_session(self, token_hash: str) -> None:
        """See the port."""
        with self._lock:
            self._tables.sessions.pop(token_hash, None)

    def list_user_sessions(self, user_id: str) -> list[Session]:
        """See the port."""
        with self._lock:
            mine = [detached(s) for s in self._tables.sessions.values() if s.user_id == user_id]
        return sorted(mine, key=lambda s: s.created_at, reverse=True)

    def delete_user_sessions(self, user_id: str) -> int:
        """See the port."""
        with self._lock:
            sessions = self._tables.sessions
            doomed = [h for h, s in sessions.items() if s.user_id == user_id]
            for token_hash in doomed:
                del sessions[token_hash]
        return len(doomed)
