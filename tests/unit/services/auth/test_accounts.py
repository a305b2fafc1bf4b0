"""Account use cases on the in-memory repository: sign-up, sign-in, links, OAuth linking."""

from dataclasses import replace
from datetime import timedelta

import pytest

from keycraft.services.auth import accounts, rate_limits
from keycraft.services.auth.accounts import ProviderIdentity
from keycraft.services.auth.email_links import issue_email_token
from keycraft.services.auth.rate_limits import RateLimit
from keycraft.services.auth.sessions import start_session
from keycraft.services.auth.types import (
    EmailTokenPurpose,
    InvalidCredentials,
    InvalidEmailLink,
    OAuthIdentityTaken,
    RateLimited,
    UnverifiedProviderEmail,
    WeakPassword,
)
from keycraft.services.errors import EmailTaken
from keycraft.services.repository.memory import MemoryRepository
from keycraft.services.repository.port import Repository
from tests.support.factories import T0

PASSWORD = "gentle Nocturne 48"


@pytest.fixture
def repo() -> Repository:
    return MemoryRepository()


def _identity(email: str, subject: str = "s1", verified: bool = True) -> ProviderIdentity:
    return ProviderIdentity("oidc", subject, email, verified, "Clara")


def test_sign_up_then_sign_in(repo: Repository) -> None:
    user = accounts.sign_up(repo, " Clara@Example.com", PASSWORD, "  Clara   S ", T0)
    assert (user.email, user.name, user.email_verified) == ("clara@example.com", "Clara S", False)
    assert accounts.sign_in_with_password(repo, "CLARA@example.com", PASSWORD) == user
    with pytest.raises(EmailTaken):
        accounts.sign_up(repo, "clara@example.com", PASSWORD, "", T0)
    with pytest.raises(WeakPassword):
        accounts.sign_up(repo, "other@example.com", "password", "", T0)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("clara@example.com", "wrong one 12"),
        ("nobody@example.com", PASSWORD),
        ("not an email", PASSWORD),
    ],
)
def test_every_failed_sign_in_is_the_same_error(
    repo: Repository, email: str, password: str
) -> None:
    accounts.sign_up(repo, "clara@example.com", PASSWORD, "", T0)
    with pytest.raises(InvalidCredentials):
        accounts.sign_in_with_password(repo, email, password)


def test_email_link_creates_or_verifies_and_works_once(repo: Repository) -> None:
    token = issue_email_token(repo, "new@example.com", EmailTokenPurpose.SIGN_IN, T0)
    user = accounts.sign_in_with_email_token(repo, token, T0 + timedelta(minutes=14)).user
    assert user.email == "new@example.com" and user.email_verified and user.name == "new"
    with pytest.raises(InvalidEmailLink):
        accounts.sign_in_with_email_token(repo, token, T0)
    late = issue_email_token(repo, "new@example.com", EmailTokenPurpose.SIGN_IN, T0)
    with pytest.raises(InvalidEmailLink):
        accounts.sign_in_with_email_token(repo, late, T0 + timedelta(minutes=15))


def test_oauth_creates_then_finds_the_same_user(repo: Repository) -> None:
    first = accounts.sign_in_with_oauth(repo, _identity("Ada@Example.com"), T0)
    again = accounts.sign_in_with_oauth(repo, _identity("changed@example.com"), T0)
    assert first == again and first.email == "ada@example.com" and first.email_verified


def test_oauth_links_by_verified_email_and_evicts_an_unverified_squatter(
    repo: Repository,
) -> None:
    squatter = accounts.sign_up(repo, "victim@example.com", PASSWORD, "", T0)
    start_session(repo, squatter.id, "squatter", T0)
    user = accounts.sign_in_with_oauth(repo, _identity("victim@example.com"), T0)
    assert user.id == squatter.id and user.password_hash is None and user.email_verified
    assert repo.list_user_sessions(user.id) == []


def test_oauth_keeps_a_verified_owner_password(repo: Repository) -> None:
    owner = accounts.sign_up(repo, "owner@example.com", PASSWORD, "", T0)
    repo.update_user(replace(owner, email_verified=True))
    user = accounts.sign_in_with_oauth(repo, _identity("owner@example.com"), T0)
    assert user.id == owner.id and user.password_hash == owner.password_hash


def test_oauth_refuses_unverified_emails_and_foreign_links(repo: Repository) -> None:
    with pytest.raises(UnverifiedProviderEmail):
        accounts.sign_in_with_oauth(repo, _identity("u@example.com", verified=False), T0)
    someone = accounts.sign_in_with_oauth(repo, _identity("a@example.com", "s-a"), T0)
    other = accounts.sign_up(repo, "b@example.com", PASSWORD, "", T0)
    with pytest.raises(OAuthIdentityTaken):
        accounts.sign_in_with_oauth(repo, _identity("a@example.com", "s-a"), T0, other.id)
    linked = accounts.sign_in_with_oauth(
        repo, _identity("x@example.com", "s-b", False), T0, other.id
    )
    assert linked.id == other.id != someone.id


def test_an_oauth_user_adds_a_password(repo: Repository) -> None:
    user = accounts.sign_in_with_oauth(repo, _identity("o@example.com"), T0)
    accounts.set_password(repo, user.id, PASSWORD, "")
    assert accounts.sign_in_with_password(repo, "o@example.com", PASSWORD).id == user.id
    with pytest.raises(InvalidCredentials):
        accounts.set_password(repo, user.id, "Another sonata 99", "wrong")


def test_rate_limit_counts_per_subject_and_window(repo: Repository) -> None:
    limit = RateLimit("t", 2, 60)
    rate_limits.hit(repo, limit, "1.2.3.4", T0)
    rate_limits.hit(repo, limit, "1.2.3.4", T0)
    rate_limits.hit(repo, limit, "5.6.7.8", T0)
    with pytest.raises(RateLimited) as raised:
        rate_limits.hit(repo, limit, "1.2.3.4", T0 + timedelta(seconds=10))
    assert raised.value.retry_after_s == 50
    rate_limits.hit(repo, limit, "1.2.3.4", T0 + timedelta(seconds=60))


def test_an_email_link_evicts_an_unverified_squatter(repo: Repository) -> None:
    squatter = accounts.sign_up(repo, "owner@example.com", PASSWORD, "", T0)
    start_session(repo, squatter.id, "squatter", T0)
    token = issue_email_token(repo, "owner@example.com", EmailTokenPurpose.SIGN_IN, T0)
    result = accounts.sign_in_with_email_token(repo, token, T0)
    assert result.reclaimed and result.user.id == squatter.id
    assert result.user.email_verified and result.user.password_hash is None
    assert repo.list_user_sessions(squatter.id) == []


def test_the_sign_up_verification_link_in_the_same_browser_keeps_the_password(
    repo: Repository,
) -> None:
    user = accounts.sign_up(repo, "mine@example.com", PASSWORD, "", T0)
    token = issue_email_token(repo, "mine@example.com", EmailTokenPurpose.VERIFY, T0)
    result = accounts.sign_in_with_email_token(repo, token, T0, current_user_id=user.id)
    assert not result.reclaimed and result.user.password_hash == user.password_hash
    assert result.user.email_verified
