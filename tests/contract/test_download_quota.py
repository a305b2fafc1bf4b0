"""Contract: the monthly MIDI download quota is consumed atomically."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from keycraft.services.errors import NotFound
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_user

RACE_ROUNDS = 4
RACERS = 50
LIMIT = 10


def test_new_user_starts_with_an_empty_window_one_month_out(repo: Repository) -> None:
    user = repo.create_user(make_user(created_at=T0))
    quota = repo.get_quota(user.id)
    assert (quota.used, quota.total_downloads) == (0, 0)
    # Anchored on Jan 31: February has no 31st, so the window ends on its last day.
    assert quota.reset_date == datetime(2026, 2, 28, 12, 0, tzinfo=UTC)


def test_consumes_until_the_limit_then_denies(repo: Repository) -> None:
    user = repo.create_user(make_user())
    now = T0 + timedelta(days=1)
    decisions = [repo.consume_download(user.id, 3, now) for _ in range(5)]
    assert [d.granted for d in decisions] == [True, True, True, False, False]
    assert [d.used for d in decisions] == [1, 2, 3, 3, 3]
    assert decisions[-1].total_downloads == 3
    assert decisions[-1].limit == 3


def test_window_restarts_when_reset_date_has_passed(repo: Repository) -> None:
    user = repo.create_user(make_user(created_at=T0))
    for _ in range(2):
        repo.consume_download(user.id, 2, T0 + timedelta(days=1))
    assert not repo.consume_download(user.id, 2, T0 + timedelta(days=2)).granted
    three_months_on = datetime(2026, 5, 2, tzinfo=UTC)
    decision = repo.consume_download(user.id, 2, three_months_on)
    assert decision.granted
    assert decision.used == 1
    assert decision.total_downloads == 3
    # Next anniversary of Jan 31 12:00 after May 2 is May 31 12:00.
    assert decision.reset_date == datetime(2026, 5, 31, 12, 0, tzinfo=UTC)


def test_a_higher_limit_grants_more_in_the_same_window(repo: Repository) -> None:
    user = repo.create_user(make_user())
    now = T0 + timedelta(days=1)
    for _ in range(3):
        repo.consume_download(user.id, 3, now)
    assert not repo.consume_download(user.id, 3, now).granted
    assert repo.consume_download(user.id, 100, now).granted


def test_unknown_user_is_not_found(repo: Repository) -> None:
    with pytest.raises(NotFound):
        repo.consume_download("missing", 3, T0)
    with pytest.raises(NotFound):
        repo.get_quota("missing")


@pytest.mark.parametrize("expired_window", [False, True], ids=["open-window", "expired-window"])
def test_concurrent_consumers_never_exceed_the_limit(
    repo: Repository, expired_window: bool
) -> None:
    for _ in range(RACE_ROUNDS):
        user = repo.create_user(make_user(created_at=T0))
        # An expired window makes every racer also race to restart it first.
        now = datetime(2026, 6, 15, tzinfo=UTC) if expired_window else T0 + timedelta(days=1)
        consume = partial(repo.consume_download, user.id, LIMIT)
        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            decisions = list(pool.map(consume, [now] * RACERS))
        assert sum(d.granted for d in decisions) == LIMIT
        quota = repo.get_quota(user.id)
        assert quota.used == LIMIT
        assert quota.total_downloads == LIMIT
