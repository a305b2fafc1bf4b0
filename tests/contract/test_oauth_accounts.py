"""Contract: provider identities link to one user each, list per user and unlink."""

from datetime import timedelta

import pytest

from keycraft.services.auth.types import OAuthAccount, OAuthIdentityTaken
from keycraft.services.errors import NotFound
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_user


def _identity(
    user_id: str, provider: str = "oidc", subject: str = "sub-1", minutes: int = 0
) -> OAuthAccount:
    return OAuthAccount(
        provider=provider,
        subject=subject,
        user_id=user_id,
        email="linked@example.com",
        created_at=T0 + timedelta(minutes=minutes),
    )


def test_linked_identity_is_found_and_listed(repo: Repository) -> None:
    user = repo.create_user(make_user())
    first = _identity(user.id, "google", "g-1")
    second = _identity(user.id, "github", "77", minutes=5)
    repo.link_oauth_account(second)
    repo.link_oauth_account(first)
    assert repo.get_oauth_account("google", "g-1") == first
    assert repo.get_oauth_account("google", "77") is None
    assert repo.list_oauth_accounts(user.id) == [first, second]


def test_an_identity_links_to_one_user_only(repo: Repository) -> None:
    owner = repo.create_user(make_user())
    other = repo.create_user(make_user())
    repo.link_oauth_account(_identity(owner.id))
    with pytest.raises(OAuthIdentityTaken):
        repo.link_oauth_account(_identity(other.id))
    assert repo.list_oauth_accounts(other.id) == []
    found = repo.get_oauth_account("oidc", "sub-1")
    assert found is not None and found.user_id == owner.id


def test_linking_to_a_missing_user_is_not_found(repo: Repository) -> None:
    with pytest.raises(NotFound):
        repo.link_oauth_account(_identity("0" * 32))
    assert repo.get_oauth_account("oidc", "sub-1") is None


def test_unlinking_frees_the_identity(repo: Repository) -> None:
    user = repo.create_user(make_user())
    repo.link_oauth_account(_identity(user.id))
    repo.delete_oauth_accounts(user.id)
    assert repo.list_oauth_accounts(user.id) == []
    assert repo.get_oauth_account("oidc", "sub-1") is None
    other = repo.create_user(make_user())
    repo.link_oauth_account(_identity(other.id))


def test_deleting_user_and_identities_frees_them(repo: Repository) -> None:
    user = repo.create_user(make_user())
    repo.link_oauth_account(_identity(user.id))
    repo.delete_oauth_accounts(user.id)
    repo.delete_user(user.id)
    assert repo.get_oauth_account("oidc", "sub-1") is None
