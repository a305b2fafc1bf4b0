"""Who counts as staff: the role stored on the user."""

from __future__ import annotations

from keycraft.services.repository.port import Repository

STAFF_ROLE = "staff"


def is_staff(repo: Repository, user_id: str) -> bool:
    """Whether ``user_id`` names a stored user whose role is staff."""
    if not user_id:
        return False
    user = repo.get_user(user_id)
    return user is not None and user.role == STAFF_ROLE
