"""Single-use email links: random tokens stored as hashes, valid for 15 minutes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from keycraft.services.auth.types import EmailToken, EmailTokenPurpose, InvalidEmailLink
from keycraft.services.repository.port import Repository

EMAIL_LINK_LIFETIME = timedelta(minutes=15)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_email_token(
    repo: Repository, email: str, purpose: EmailTokenPurpose, now: datetime
) -> str:
    """Store a new link token for ``email`` and return the raw token (it goes only in the mail)."""
    token = secrets.token_urlsafe(32)
    repo.create_email_token(
        EmailToken(
            token_hash=_hash(token),
            email=email,
            purpose=purpose,
            expires_at=now + EMAIL_LINK_LIFETIME,
            created_at=now,
        )
    )
    return token


def consume_email_token(repo: Repository, token: str, now: datetime) -> EmailToken:
    """Use up a link token; raise ``InvalidEmailLink`` if unknown, used or expired."""
    if not token or len(token) > 200:
        raise InvalidEmailLink()
    consumed = repo.consume_email_token(_hash(token), now)
    if consumed is None:
        raise InvalidEmailLink()
    return consumed
