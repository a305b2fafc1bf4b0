"""Cookie sessions: opaque random tokens, stored only as hashes, sliding within a hard cap."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from keycraft.services.domain import Session, User
from keycraft.services.repository.port import Repository

SESSION_COOKIE = "kc_session"
SESSION_LIFETIME = timedelta(days=30)
ABSOLUTE_LIFETIME = timedelta(days=90)
"""However active, a session ends this long after sign-in: a stolen cookie cannot live on."""
RENEW_AFTER = timedelta(hours=1)
"""Slide the expiry at most this often, so every page view is not a write."""


@dataclass(frozen=True, slots=True)
class IssuedSession:
    """A freshly started session: the token goes into the cookie, never into storage."""

    token: str
    session: Session


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which a session token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(repo: Repository, user_id: str, user_agent: str, now: datetime) -> IssuedSession:
    """Create and store a new session for ``user_id``."""
    token = secrets.token_urlsafe(32)
    session = Session(
        token_hash=hash_token(token),
        user_id=user_id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + SESSION_LIFETIME,
        user_agent=user_agent[:400],
    )
    repo.create_session(session)
    return IssuedSession(token=token, session=session)


def resolve_session(repo: Repository, token: str, now: datetime) -> User | None:
    """Return the signed-in user for a cookie token, sliding the session's expiry.

    Unknown, revoked and expired tokens all give None; an expired session is deleted. The
    expiry slides at most to ``ABSOLUTE_LIFETIME`` after the session started.
    """
    if not token:
        return None
    token_hash = hash_token(token)
    session = repo.get_session(token_hash)
    if session is None:
        return None
    hard_end = session.created_at + ABSOLUTE_LIFETIME
    if session.expires_at <= now or hard_end <= now:
        repo.delete_session(token_hash)
        return None
    user = repo.get_user(session.user_id)
    if user is None:
        return None
    if now - session.last_seen_at >= RENEW_AFTER:
        repo.touch_session(token_hash, now, min(now + SESSION_LIFETIME, hard_end))
    return user


def end_session(repo: Repository, token: str) -> None:
    """Revoke the session behind ``token`` (unknown tokens are ignored)."""
    if token:
        repo.delete_session(hash_token(token))


def token_from_cookie_header(cookie_header: str) -> str:
    """Extract the session token from a raw ``Cookie`` header ('' when absent)."""
    from http.cookies import CookieError, SimpleCookie

    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except CookieError:
        return ""
    morsel = jar.get(SESSION_COOKIE)
    return morsel.value if morsel else ""
