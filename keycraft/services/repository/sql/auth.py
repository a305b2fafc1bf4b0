"""Relational adapter mixin for sign-in storage (see ``port_auth.AuthRepository``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from keycraft.services.auth.types import (
    EmailToken,
    EmailTokenPurpose,
    OAuthAccount,
    OAuthIdentityTaken,
)
from keycraft.services.errors import NotFound
from keycraft.services.repository.sql.auth_tables import (
    EmailTokenRow,
    OAuthAccountRow,
    RateLimitRow,
)
from keycraft.services.repository.sql.base import SqlBase, aware, rowcount
from keycraft.services.repository.sql.tables import UserRow


def _oauth_from_row(row: OAuthAccountRow) -> OAuthAccount:
    return OAuthAccount(
        provider=row.provider,
        subject=row.subject,
        user_id=row.user_id,
        email=row.email,
        created_at=aware(row.created_at),
    )


class SqlAuthMixin(SqlBase):
    """OAuth identities, email-link tokens and rate counters in SQL."""

    def link_oauth_account(self, account: OAuthAccount) -> None:
        """See the port."""
        try:
            with self._tx() as db:
                if db.get(UserRow, account.user_id) is None:
                    raise NotFound(account.user_id)
                db.add(
                    OAuthAccountRow(
                        provider=account.provider,
                        subject=account.subject,
                        user_id=account.user_id,
                        email=account.email,
                        created_at=account.created_at,
                    )
                )
        except IntegrityError as exc:
            raise OAuthIdentityTaken(account.provider) from exc

    def get_oauth_account(self, provider: str, subject: str) -> OAuthAccount | None:
        """See the port."""
        with self._tx() as db:
            row = db.get(OAuthAccountRow, (provider, subject))
            return None if row is None else _oauth_from_row(row)

    def list_oauth_accounts(self, user_id: str) -> list[OAuthAccount]:
        """See the port."""
        with self._tx() as db:
            rows = db.scalars(
                select(OAuthAccountRow)
                .where(col(OAuthAccountRow.user_id) == user_id)
                .order_by(col(OAuthAccountRow.created_at))
            ).all()
            return [_oauth_from_row(r) for r in rows]

    def delete_oauth_accounts(self, user_id: str) -> None:
        """See the port."""
        with self._tx() as db:
            db.execute(delete(OAuthAccountRow).where(col(OAuthAccountRow.user_id) == user_id))

    def create_email_token(self, token: EmailToken) -> None:
        """See the port."""
        with self._tx() as db:
            db.add(
                EmailTokenRow(
                    token_hash=token.token_hash,
                    email=token.email,
                    purpose=token.purpose.value,
                    expires_at=token.expires_at,
                    created_at=token.created_at,
                )
            )

    def consume_email_token(self, token_hash: str, now: datetime) -> EmailToken | None:
        """See the port: the DELETE's row count decides which consumer wins."""
        with self._tx() as db:
            row = db.get(EmailTokenRow, token_hash)
            if row is None:
                return None
            token = EmailToken(
                token_hash=row.token_hash,
                email=row.email,
                purpose=EmailTokenPurpose(row.purpose),
                expires_at=aware(row.expires_at),
                created_at=aware(row.created_at),
            )
            deleted = db.execute(
                delete(EmailTokenRow).where(col(EmailTokenRow.token_hash) == token_hash)
            )
            # An expired token is removed too, but it signs nobody in.
            if rowcount(deleted) != 1 or token.expires_at <= now:
                return None
            return token

    def increment_rate_counter(self, key: str, window_start: datetime, expires_at: datetime) -> int:
        """See the port: UPDATE first, INSERT on the window's first hit, retry on a race."""
        for _ in range(3):
            try:
                with self._tx() as db:
                    bumped = db.execute(
                        update(RateLimitRow)
                        .where(
                            col(RateLimitRow.key) == key,
                            col(RateLimitRow.window_start) == window_start,
                        )
                        .values(count=col(RateLimitRow.count) + 1)
                    )
                    if rowcount(bumped) == 0:
                        # First hit of a window: drop this key's finished windows on the way.
                        db.execute(
                            delete(RateLimitRow).where(
                                col(RateLimitRow.key) == key,
                                col(RateLimitRow.expires_at) <= window_start,
                            )
                        )
                        db.add(
                            RateLimitRow(
                                key=key, window_start=window_start, count=1, expires_at=expires_at
                            )
                        )
                        db.flush()
                        return 1
                    row = db.get(RateLimitRow, (key, window_start))
                    assert row is not None  # updated inside this transaction
                    return int(row.count)
            except IntegrityError:
                continue  # another worker inserted the window first: now UPDATE matches
        raise RuntimeError("rate counter kept racing")
