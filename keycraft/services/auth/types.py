"""Domain types and errors for accounts and sign-in; shared by services and repositories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from keycraft.services.errors import DomainError


class EmailTokenPurpose(StrEnum):
    """Why an email link was sent; either way, using it proves the address."""

    SIGN_IN = "sign_in"
    VERIFY = "verify"


@dataclass(frozen=True, slots=True)
class EmailToken:
    """A single-use email link; only the SHA-256 of its token is stored."""

    token_hash: str
    email: str
    purpose: EmailTokenPurpose
    expires_at: datetime
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OAuthAccount:
    """A provider identity (``provider`` + its stable ``subject``) linked to a user."""

    provider: str
    subject: str
    user_id: str
    email: str
    created_at: datetime


class OAuthIdentityTaken(DomainError):
    """This provider identity is already linked to an account."""


class InvalidCredentials(DomainError):
    """Unknown email, wrong password, or an account without a password: one answer for all."""


class WeakPassword(DomainError):
    """The password breaks the password policy (the policy's reason is in ``args[0]``)."""


class InvalidEmail(DomainError):
    """The text is not a usable email address."""


class InvalidEmailLink(DomainError):
    """The email link is unknown, already used or expired."""


class RateLimited(DomainError):
    """Too many attempts in the current window."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(retry_after_s)
        self.retry_after_s = retry_after_s


class UnverifiedProviderEmail(DomainError):
    """The identity provider did not vouch for the email address."""
