"""Who counts as staff, and granting or revoking it (every change lands in the audit log)."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from keycraft.services.audit import audit_entry
from keycraft.services.auth.emails import normalise_email
from keycraft.services.domain import User
from keycraft.services.errors import DomainError
from keycraft.services.repository.port import Repository

STAFF_ROLE = "staff"
USER_ROLE = "user"

GRANT_ACTION = "staff.grant"
REVOKE_ACTION = "staff.revoke"


class NotStaff(DomainError):
    """The acting account is not (or no longer) staff."""


class NoSuchAccount(DomainError):
    """No account uses this email address (staff can only be made of existing accounts)."""


class OwnAccess(DomainError):
    """Staff cannot remove their own access (someone else must, so it is never lost by a slip)."""


def is_staff(repo: Repository, user_id: str) -> bool:
    """Whether ``user_id`` names a stored user whose role is staff."""
    if not user_id:
        return False
    user = repo.get_user(user_id)
    return user is not None and user.role == STAFF_ROLE


def require_staff(repo: Repository, user_id: str) -> User:
    """The acting staff member, read from the repository now (never a cached flag).

    Raises:
        NotStaff: Signed out, unknown, or not staff (any more).
    """
    user = repo.get_user(user_id) if user_id else None
    if user is None or user.role != STAFF_ROLE:
        raise NotStaff(user_id)
    return user


def _set_role(repo: Repository, email: str, role: str, actor: str, now: datetime) -> User:
    user = repo.get_user_by_email(normalise_email(email))
    if user is None:
        raise NoSuchAccount(email)
    if user.role == role:
        return user  # nothing changed, so nothing to audit
    updated = repo.update_user(dataclasses.replace(user, role=role))
    action = GRANT_ACTION if role == STAFF_ROLE else REVOKE_ACTION
    repo.add_audit_entry(audit_entry(now, actor, action, user.email, f"role {user.role} → {role}"))
    return updated


def grant_staff(repo: Repository, email: str, actor: str, now: datetime) -> User:
    """Make the account with ``email`` staff; ``actor`` is recorded in the audit log.

    Raises:
        NoSuchAccount: Nobody has signed up with that email.
        InvalidEmail: ``email`` is not shaped like an address.
    """
    return _set_role(repo, email, STAFF_ROLE, actor, now)


def revoke_staff(repo: Repository, email: str, actor: str, now: datetime) -> User:
    """Make the staff account with ``email`` an ordinary user again (audited).

    Raises:
        NoSuchAccount: Nobody has signed up with that email.
    """
    return _set_role(repo, email, USER_ROLE, actor, now)


def revoke_other_staff(repo: Repository, email: str, actor: User, now: datetime) -> User:
    """What the admin page does: like :func:`revoke_staff`, but never one's own access.

    Raises:
        OwnAccess: ``email`` is the acting staff member's own.
        NoSuchAccount: Nobody has signed up with that email.
    """
    if normalise_email(email) == actor.email:
        raise OwnAccess(email)
    return revoke_staff(repo, email, actor.email, now)


def list_staff(repo: Repository) -> list[User]:
    """Every staff account, by email."""
    return repo.list_users_with_role(STAFF_ROLE)
