"""Account use cases: sign up, the three ways to sign in, passwords, deleting an account."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from keycraft.services.auth.email_links import consume_email_token
from keycraft.services.auth.emails import normalise_email
from keycraft.services.auth.passwords import (
    check_password_policy,
    hash_password,
    needs_rehash,
    verify_password,
)
from keycraft.services.auth.types import (
    EmailTokenPurpose,
    InvalidCredentials,
    InvalidEmail,
    OAuthAccount,
    OAuthIdentityTaken,
    UnverifiedProviderEmail,
)
from keycraft.services.domain import User
from keycraft.services.errors import NotFound
from keycraft.services.repository.port import Repository
from keycraft.services.storage.port import Storage

MAX_NAME_CHARS = 200


@dataclass(frozen=True, slots=True)
class ProviderIdentity:
    """Who an identity provider says signed in."""

    provider: str
    subject: str
    email: str
    email_verified: bool
    name: str


def _new_user(email: str, name: str, now: datetime, **fields: object) -> User:
    clean_name = " ".join(name.split())[:MAX_NAME_CHARS] or email.split("@", 1)[0]
    return User(id=uuid.uuid4().hex, email=email, name=clean_name, created_at=now, **fields)  # type: ignore[arg-type]


def sign_up(repo: Repository, email: str, password: str, name: str, now: datetime) -> User:
    """Create a password account; raise ``InvalidEmail``, ``WeakPassword`` or ``EmailTaken``."""
    address = normalise_email(email)
    check_password_policy(password, address)
    return repo.create_user(_new_user(address, name, now, password_hash=hash_password(password)))


def sign_in_with_password(repo: Repository, email: str, password: str) -> User:
    """Return the user whose email and password match, else raise ``InvalidCredentials``.

    Unknown addresses and password-less accounts still run one argon2 verification, so
    every refusal costs the same time and says the same thing.
    """
    try:
        user = repo.get_user_by_email(normalise_email(email))
    except InvalidEmail:
        user = None
    stored = user.password_hash if user else None
    if not verify_password(stored, password) or user is None or stored is None:
        raise InvalidCredentials()
    if needs_rehash(stored):
        user = repo.update_user(replace(user, password_hash=hash_password(password)))
    return user


@dataclass(frozen=True, slots=True)
class EmailLinkSignIn:
    """The account an email link signed in, and whether an unproven squatter was evicted."""

    user: User
    reclaimed: bool


def sign_in_with_email_token(
    repo: Repository, token: str, now: datetime, current_user_id: str = ""
) -> EmailLinkSignIn:
    """Use up an email link: sign its address in, creating the account on first use.

    Using the link proves the address, so the account's email becomes verified. An
    unverified account's password and sessions were set up by whoever typed the address,
    who may not own it (pre-hijacking): they are dropped, unless this is the sign-up's own
    verification link opened in the browser that signed up (``current_user_id``).

    Args:
        repo: The repository.
        token: The raw token from the link.
        now: The current time.
        current_user_id: The user signed in on the browser that opened the link, if any.

    Raises:
        InvalidEmailLink: The token is unknown, used or expired.
    """
    consumed = consume_email_token(repo, token, now)
    user = repo.get_user_by_email(consumed.email)
    if user is None:
        created = repo.create_user(_new_user(consumed.email, "", now, email_verified=True))
        return EmailLinkSignIn(user=created, reclaimed=False)
    if user.email_verified:
        return EmailLinkSignIn(user=user, reclaimed=False)
    own_verification = consumed.purpose == EmailTokenPurpose.VERIFY and current_user_id == user.id
    if own_verification:
        return EmailLinkSignIn(
            user=repo.update_user(replace(user, email_verified=True)), reclaimed=False
        )
    repo.delete_user_sessions(user.id)
    user = repo.update_user(replace(user, email_verified=True, password_hash=None))
    return EmailLinkSignIn(user=user, reclaimed=True)


def sign_in_with_oauth(
    repo: Repository, identity: ProviderIdentity, now: datetime, current_user_id: str = ""
) -> User:
    """Return the user for a provider identity, linking or creating the account as needed.

    Args:
        repo: The repository.
        identity: What the provider vouched for.
        now: The current time.
        current_user_id: The signed-in user, when they are adding this provider to their
            account; the identity is then linked to them whatever its email.

    Raises:
        OAuthIdentityTaken: The identity belongs to another account.
        UnverifiedProviderEmail: A new identity without a provider-verified email.
    """
    linked = repo.get_oauth_account(identity.provider, identity.subject)
    if linked is not None:
        if current_user_id and linked.user_id != current_user_id:
            raise OAuthIdentityTaken(identity.provider)
        user = repo.get_user(linked.user_id)
        if user is None:
            raise NotFound(linked.user_id)
        return user
    if current_user_id:
        user = repo.get_user(current_user_id)
        if user is None:
            raise NotFound(current_user_id)
    else:
        if not identity.email_verified:
            raise UnverifiedProviderEmail(identity.provider)
        address = normalise_email(identity.email)
        user = repo.get_user_by_email(address) or repo.create_user(
            _new_user(address, identity.name, now, email_verified=True)
        )
        if not user.email_verified:
            # Whoever registered this address before never proved it; the provider just
            # did. Drop their password and sessions so a squatter cannot keep access.
            repo.delete_user_sessions(user.id)
            user = repo.update_user(replace(user, email_verified=True, password_hash=None))
    repo.link_oauth_account(
        OAuthAccount(
            provider=identity.provider,
            subject=identity.subject,
            user_id=user.id,
            email=identity.email,
            created_at=now,
        )
    )
    return user


def set_password(repo: Repository, user_id: str, new_password: str, current_password: str) -> User:
    """Add a password (accounts without one) or change it (the current one must match)."""
    user = repo.get_user(user_id)
    if user is None:
        raise NotFound(user_id)
    if user.password_hash and not verify_password(user.password_hash, current_password):
        raise InvalidCredentials()
    check_password_policy(new_password, user.email)
    return repo.update_user(replace(user, password_hash=hash_password(new_password)))


def delete_account(repo: Repository, storage: Storage, user_id: str) -> None:
    """Delete the user, everything the repository holds for them, and their media."""
    repo.delete_oauth_accounts(user_id)
    repo.delete_user(user_id)
    storage.delete_prefix(f"users/{user_id}/")
