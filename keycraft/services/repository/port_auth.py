"""Repository operations for sign-in: OAuth identities, email-link tokens, rate counters."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from keycraft.services.auth.types import EmailToken, OAuthAccount


class AuthRepository(Protocol):
    """Storage for sign-in; part of :class:`~keycraft.services.repository.port.Repository`."""

    # --- OAuth identities -------------------------------------------------------------
    def link_oauth_account(self, account: OAuthAccount) -> None:
        """Link a provider identity to a user; raise ``OAuthIdentityTaken`` if already linked."""
        ...

    def get_oauth_account(self, provider: str, subject: str) -> OAuthAccount | None:
        """Return the link for this provider identity, if any."""
        ...

    def list_oauth_accounts(self, user_id: str) -> list[OAuthAccount]:
        """Return the identities linked to a user, oldest first."""
        ...

    def delete_oauth_accounts(self, user_id: str) -> None:
        """Unlink every identity of a user (used when deleting the account)."""
        ...

    # --- email-link tokens ------------------------------------------------------------
    def create_email_token(self, token: EmailToken) -> None:
        """Store a new email-link token (by hash)."""
        ...

    def consume_email_token(self, token_hash: str, now: datetime) -> EmailToken | None:
        """Delete and return the token if it exists and ``expires_at > now``; else None.

        Atomic: of two concurrent consumers of one token, exactly one gets it.
        """
        ...

    # --- rate limits -------------------------------------------------------------------
    def increment_rate_counter(self, key: str, window_start: datetime, expires_at: datetime) -> int:
        """Atomically add one to the counter of ``key`` in this window; return the new count."""
        ...
