"""Session tokens: hashed at rest, slid on use, dead when expired or revoked."""

from datetime import timedelta

import pytest

from keycraft.services.auth.sessions import (
    ABSOLUTE_LIFETIME,
    RENEW_AFTER,
    SESSION_LIFETIME,
    end_session,
    hash_token,
    resolve_session,
    start_session,
    token_from_cookie_header,
)
from keycraft.services.repository.memory import MemoryRepository
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_user


@pytest.fixture
def repo() -> Repository:
    return MemoryRepository()


def test_only_the_hash_is_stored_and_the_token_resolves(repo: Repository) -> None:
    user = repo.create_user(make_user())
    issued = start_session(repo, user.id, "Firefox", T0)
    assert issued.session.token_hash == hash_token(issued.token) != issued.token
    assert repo.get_session(issued.token) is None
    assert resolve_session(repo, issued.token, T0 + timedelta(minutes=5)) == user


def test_use_slides_the_expiry_at_most_hourly(repo: Repository) -> None:
    user = repo.create_user(make_user())
    issued = start_session(repo, user.id, "", T0)
    resolve_session(repo, issued.token, T0 + RENEW_AFTER / 2)
    assert repo.get_session(issued.session.token_hash) == issued.session
    later = T0 + RENEW_AFTER * 2
    resolve_session(repo, issued.token, later)
    slid = repo.get_session(issued.session.token_hash)
    assert slid is not None
    assert slid.expires_at == later + SESSION_LIFETIME


def test_expired_revoked_and_forged_tokens_resolve_to_nobody(repo: Repository) -> None:
    user = repo.create_user(make_user())
    expired = start_session(repo, user.id, "", T0)
    assert resolve_session(repo, expired.token, T0 + SESSION_LIFETIME) is None
    assert repo.get_session(expired.session.token_hash) is None
    revoked = start_session(repo, user.id, "", T0)
    end_session(repo, revoked.token)
    assert resolve_session(repo, revoked.token, T0) is None
    assert resolve_session(repo, revoked.token + "x", T0) is None
    assert resolve_session(repo, "", T0) is None


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("kc_session=abc-123_x; theme=dark", "abc-123_x"),
        ("theme=dark", ""),
        ("", ""),
        ('kc_session="unterminated', ""),
    ],
)
def test_token_is_read_from_the_cookie_header(header: str, token: str) -> None:
    assert token_from_cookie_header(header) == token


def test_sliding_stops_at_the_absolute_lifetime(repo: Repository) -> None:
    user = repo.create_user(make_user())
    issued = start_session(repo, user.id, "", T0)
    for day in range(20, ABSOLUTE_LIFETIME.days, 20):  # used every 20 days: never idle
        assert resolve_session(repo, issued.token, T0 + timedelta(days=day)) == user
    slid = repo.get_session(issued.session.token_hash)
    assert slid is not None and slid.expires_at == T0 + ABSOLUTE_LIFETIME
    assert resolve_session(repo, issued.token, T0 + ABSOLUTE_LIFETIME) is None
