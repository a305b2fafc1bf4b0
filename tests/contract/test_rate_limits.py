"""Contract: rate counters count atomically per key and window."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from keycraft.services.repository.port import Repository
from tests.support.factories import FUTURE


def test_counts_per_key_and_window(repo: Repository) -> None:
    end = FUTURE + timedelta(minutes=15)
    assert [repo.increment_rate_counter("a", FUTURE, end) for _ in range(3)] == [1, 2, 3]
    assert repo.increment_rate_counter("b", FUTURE, end) == 1
    later = FUTURE + timedelta(minutes=15)
    assert repo.increment_rate_counter("a", later, later + timedelta(minutes=15)) == 1


def test_concurrent_hits_are_all_counted(repo: Repository) -> None:
    end = FUTURE + timedelta(minutes=15)
    with ThreadPoolExecutor(10) as pool:
        counts = list(pool.map(lambda _: repo.increment_rate_counter("c", FUTURE, end), range(20)))
    assert sorted(counts) == list(range(1, 21))
