"""Contract: users and their email uniqueness."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from keycraft.services.errors import EmailTaken, NotFound
from keycraft.services.repository.port import Repository
from tests.support.factories import make_user


def test_created_user_reads_back_by_id_and_email(repo: Repository) -> None:
    user = make_user(
        "ada@example.com",
        active_plans=("pro-monthly",),
        has_paid=True,
        current_period_end=datetime(2026, 3, 1, tzinfo=UTC),
    )
    repo.create_user(user)
    assert repo.get_user(user.id) == user
    assert repo.get_user_by_email("ada@example.com") == user


def test_missing_user_is_none(repo: Repository) -> None:
    assert repo.get_user("nope") is None
    assert repo.get_user_by_email("nobody@example.com") is None


def test_duplicate_email_is_a_domain_error(repo: Repository) -> None:
    repo.create_user(make_user("same@example.com"))
    with pytest.raises(EmailTaken):
        repo.create_user(make_user("same@example.com"))


def test_update_user_changes_fields_and_keeps_email_unique(repo: Repository) -> None:
    first = repo.create_user(make_user("one@example.com"))
    repo.create_user(make_user("two@example.com"))
    renamed = replace(first, name="Clara", email="uno@example.com", role="staff")
    repo.update_user(renamed)
    assert repo.get_user(first.id) == renamed
    assert repo.get_user_by_email("uno@example.com") == renamed
    assert repo.get_user_by_email("one@example.com") is None
    with pytest.raises(EmailTaken):
        repo.update_user(replace(renamed, email="two@example.com"))
    assert repo.get_user(first.id) == renamed


def test_update_unknown_user_is_not_found(repo: Repository) -> None:
    with pytest.raises(NotFound):
        repo.update_user(make_user())


def test_delete_user_frees_email_and_is_idempotent(repo: Repository) -> None:
    user = repo.create_user(make_user("gone@example.com"))
    repo.delete_user(user.id)
    repo.delete_user(user.id)
    assert repo.get_user(user.id) is None
    repo.create_user(make_user("gone@example.com"))
