"""Password policy and argon2id hashing."""

import pytest

from keycraft.services.auth.emails import normalise_email
from keycraft.services.auth.passwords import (
    hash_password,
    password_problem,
    verify_password,
)
from keycraft.services.auth.types import InvalidEmail


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short1!", "too_short"),
        ("x" * 257, "too_long"),
        ("aaaaaaaaaaaa", "too_simple"),
        ("abababababab", "too_simple"),
        ("Password2024!", "common"),
        ("my qwerty keys", "common"),
        ("1234567890", "common"),
        ("abcdefghijk", "too_simple"),
        ("clara.wieck-1819", "contains_email"),
        ("gentle Nocturne 48", None),
        ("correct horse battery staple", None),
    ],
)
def test_password_policy(password: str, problem: str | None) -> None:
    assert password_problem(password, "clara.wieck@example.com") == problem


def test_hash_is_argon2id_and_verifies_only_the_right_password() -> None:
    stored = hash_password("gentle Nocturne 48")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "gentle Nocturne 48")
    assert not verify_password(stored, "gentle nocturne 48")
    assert not verify_password(None, "gentle Nocturne 48")
    assert not verify_password("not-a-hash", "anything")


@pytest.mark.parametrize(
    ("raw", "email"),
    [("  Ada@Example.COM ", "ada@example.com"), ("a.b+piano@x.org", "a.b+piano@x.org")],
)
def test_emails_are_normalised(raw: str, email: str) -> None:
    assert normalise_email(raw) == email


@pytest.mark.parametrize("raw", ["", "ada", "ada@", "@x.org", "a b@x.org", "a@x", "a..b@x.org"])
def test_unusable_emails_are_refused(raw: str) -> None:
    with pytest.raises(InvalidEmail):
        normalise_email(raw)
