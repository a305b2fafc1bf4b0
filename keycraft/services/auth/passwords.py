"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from keycraft.services.auth.types import WeakPassword

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 256
"""Bounded so a megabyte 'password' cannot make hashing a denial of service."""

# The most common leaked passwords and their stems; a match anywhere is refused.
_BREACHED_STEMS = (
    "password",
    "passw0rd",
    "qwerty",
    "azerty",
    "letmein",
    "welcome",
    "iloveyou",
    "admin",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "keycraft",
    "piano",
    "123456",
    "abc123",
    "111111",
)
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    # argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile.
    return PasswordHasher()


def password_problem(password: str, email: str = "") -> str | None:
    """Return why ``password`` is refused (a fixed reason key), or None when it is acceptable.

    Args:
        password: The candidate password.
        email: The account's address; its local part must not be the password's core.
    """
    if len(password) < MIN_PASSWORD_CHARS:
        return "too_short"
    if len(password) > MAX_PASSWORD_CHARS:
        return "too_long"
    folded = password.lower()
    if len(set(folded)) <= 3:
        return "too_simple"
    if any(stem in folded for stem in _BREACHED_STEMS):
        return "common"
    letters = re.sub(r"[^a-z0-9]", "", folded)
    if any(letters and letters in seq for seq in _SEQUENCES):
        return "too_simple"
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in folded:
        return "contains_email"
    return None


def check_password_policy(password: str, email: str = "") -> None:
    """Raise ``WeakPassword`` with the reason key when the password is refused."""
    problem = password_problem(password, email)
    if problem:
        raise WeakPassword(problem)


def hash_password(password: str) -> str:
    """Return the argon2id hash to store."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``.

    With no stored hash, a dummy hash is verified anyway so that unknown accounts and
    password-less accounts take as long to refuse as a wrong password does.
    """
    target = stored_hash or _dummy_hash()
    try:
        matched = _hasher().verify(target, password[:MAX_PASSWORD_CHARS])
    except (VerificationError, InvalidHashError):
        return False
    return matched and stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    """Whether a stored hash uses older parameters than the current hasher."""
    return _hasher().check_needs_rehash(stored_hash)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not a real password: timing equaliser")
