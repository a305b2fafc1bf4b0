"""Sign-in storage in memory: OAuth identities, email-link tokens, rate counters."""

from __future__ import annotations

from datetime import datetime

from keycraft.services.auth.types import EmailToken, OAuthAccount, OAuthIdentityTaken
from keycraft.services.errors import NotFound
from keycraft.services.repository.memory.base import MemoryBase, RateCounter
from keycraft.services.repository.memory.copying import detached


class MemoryAuthMixin(MemoryBase):
    """See ``port_auth.AuthRepository``."""

    def link_oauth_account(self, account: OAuthAccount) -> None:
        """See the port; linking to a missing user is ``NotFound``."""
        with self._lock:
            if account.user_id not in self._tables.users:
                raise NotFound(account.user_id)
            key = (account.provider, account.subject)
            if key in self._tables.oauth_accounts:
                raise OAuthIdentityTaken(account.provider)
            self._tables.oauth_accounts[key] = detached(account)

    def get_oauth_account(self, provider: str, subject: str) -> OAuthAccount | None:
        """See the port."""
        with self._lock:
            return detached(self._tables.oauth_accounts.get((provider, subject)))

    def list_oauth_accounts(self, user_id: str) -> list[OAuthAccount]:
        """See the port."""
        with self._lock:
            mine = [
                detached(a) for a in self._tables.oauth_accounts.values() if a.user_id == user_id
            ]
        return sorted(mine, key=lambda a: a.created_at)

    def delete_oauth_accounts(self, user_id: str) -> None:
        """See the port."""
        with self._lock:
            accounts = self._tables.oauth_accounts
            for key in [k for k, a in accounts.items() if a.user_id == user_id]:
                del accounts[key]

    def create_email_token(self, token: EmailToken) -> None:
        """See the port."""
        with self._lock:
            self._tables.email_tokens[token.token_hash] = detached(token)

    def consume_email_token(self, token_hash: str, now: datetime) -> EmailToken | None:
        """See the port: an expired token is removed too, but it signs nobody in."""
        with self._lock:
            token = self._tables.email_tokens.pop(token_hash, None)
        return token if token is not None and token.expires_at > now else None

    def increment_rate_counter(self, key: str, window_start: datetime, expires_at: datetime) -> int:
        """See the port; a window's first hit drops the key's finished windows."""
        with self._lock:
            counters = self._tables.rate_counters
            current = counters.get((key, window_start))
            if current is None:
                for finished in [
                    k for k, c in counters.items() if k[0] == key and c.expires_at <= window_start
                ]:
                    del counters[finished]
                current = RateCounter(count=0, expires_at=expires_at)
            counters[(key, window_start)] = RateCounter(current.count + 1, current.expires_at)
            return current.count + 1
