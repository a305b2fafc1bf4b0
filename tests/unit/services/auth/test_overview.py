"""The session bridge payload and the account page's read model (in-memory repository)."""

from datetime import timedelta

import pytest

from keycraft.services.auth.overview import (
    account_overview,
    bridge_payload,
    public_session_id,
    revoke_session,
)
from keycraft.services.auth.sessions import start_session
from keycraft.services.billing.plans import Plan
from keycraft.services.repository.memory import MemoryRepository
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_user


@pytest.fixture
def repo() -> Repository:
    return MemoryRepository()


def test_signed_out_payload() -> None:
    assert bridge_payload(None, None, T0) == {"authenticated": False, "user": None}  # type: ignore[arg-type]


def test_payload_shows_plan_flags_and_the_download_meter(repo: Repository) -> None:
    user = repo.create_user(make_user("p@example.com", has_paid=True, active_plans=("pro",)))
    repo.consume_download(user.id, 3, T0 + timedelta(days=1))
    body = bridge_payload(repo, user, T0 + timedelta(days=2))
    assert body["authenticated"] is True
    assert body["user"] == {
        "id": user.id,
        "email": "p@example.com",
        "name": user.name,
        "has_paid": True,
        "active_plans": ["pro"],
        "downloads": {"used": 1, "limit": 3, "reset_date": "2026-02-28T12:00:00+00:00"},
    }


def test_limit_and_plan_name_come_from_the_best_active_plan(repo: Repository) -> None:
    pro = Plan(key="pro", name="Pro", monthly_downloads=100, price_cents=900)
    user = repo.create_user(make_user(has_paid=True, active_plans=("pro",)))
    body = bridge_payload(repo, user, T0, (pro,))
    assert body["user"]["downloads"]["limit"] == 100
    overview = account_overview(repo, user, "", T0, (pro,))
    assert (overview.plan_name, overview.meter.limit) == ("Pro", 100)


def test_an_ended_window_reads_as_fresh(repo: Repository) -> None:
    user = repo.create_user(make_user())
    repo.consume_download(user.id, 3, T0 + timedelta(days=1))
    meter = bridge_payload(repo, user, T0 + timedelta(days=40))["user"]["downloads"]
    assert meter == {"used": 0, "limit": 3, "reset_date": "2026-03-31T12:00:00+00:00"}


def test_overview_marks_this_session_and_revokes_others_by_public_id(repo: Repository) -> None:
    user = repo.create_user(make_user())
    mine = start_session(repo, user.id, "laptop", T0)
    other = start_session(repo, user.id, "phone", T0 + timedelta(minutes=1))
    overview = account_overview(repo, user, mine.token, T0 + timedelta(minutes=2))
    assert [(s.user_agent, s.current) for s in overview.sessions] == [
        ("phone", False),
        ("laptop", True),
    ]
    assert overview.plan_name == "Free" and overview.meter.limit == 3
    stranger = repo.create_user(make_user())
    assert not revoke_session(repo, stranger.id, public_session_id(other.session.token_hash))
    assert revoke_session(repo, user.id, public_session_id(other.session.token_hash))
    assert [s.token_hash for s in repo.list_user_sessions(user.id)] == [mine.session.token_hash]
