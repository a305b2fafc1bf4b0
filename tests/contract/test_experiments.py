"""Experiments storage: once-only exposures and conversions, visitor links, tallies."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from keycraft.services.experiments.model import (
    EXPOSURE,
    Conversion,
    Exposure,
    Metric,
    Tally,
)
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_user, new_id


def _exposure(visitor_id: str, variant: str = "control", version: int = 1) -> Exposure:
    return Exposure("hero_headline", version, visitor_id, variant, T0)


def test_an_exposure_is_recorded_once_per_visitor_and_version(repo: Repository) -> None:
    visitor = new_id()
    assert repo.record_exposure(_exposure(visitor)) is True
    assert repo.record_exposure(_exposure(visitor)) is False
    assert repo.record_exposure(_exposure(visitor, variant="outcome")) is False
    assert repo.record_exposure(_exposure(visitor, version=2)) is True
    assert repo.experiment_tallies("hero_headline", 1) == [Tally("control", EXPOSURE, 1)]
    assert repo.experiment_tallies("hero_headline", 2) == [Tally("control", EXPOSURE, 1)]


def test_visitor_exposures_are_listed_with_their_variant_and_time(repo: Repository) -> None:
    visitor = new_id()
    repo.record_exposure(_exposure(visitor, variant="outcome"))
    repo.record_exposure(Exposure("pricing_cta", 3, visitor, "try_free", T0 + timedelta(hours=1)))
    repo.record_exposure(_exposure(new_id()))
    found = sorted(repo.list_visitor_exposures(visitor), key=lambda e: e.experiment_key)
    assert found == [
        Exposure("hero_headline", 1, visitor, "outcome", T0),
        Exposure("pricing_cta", 3, visitor, "try_free", T0 + timedelta(hours=1)),
    ]
    assert repo.list_visitor_exposures(new_id()) == []


def test_conversions_are_once_per_metric_and_tallied_per_variant(repo: Repository) -> None:
    first, second = new_id(), new_id()
    repo.record_exposure(_exposure(first, "control"))
    repo.record_exposure(_exposure(second, "outcome"))
    signup = Conversion("hero_headline", 1, first, "control", Metric.SIGNUP, T0)
    assert repo.record_conversion(signup) is True
    assert repo.record_conversion(signup) is False
    assert repo.record_conversion(Conversion("hero_headline", 1, first, "control", Metric.PAID, T0))
    assert repo.record_conversion(
        Conversion("hero_headline", 1, second, "outcome", Metric.SIGNUP, T0)
    )
    assert repo.experiment_tallies("hero_headline", 1) == [
        Tally("control", EXPOSURE, 1),
        Tally("control", Metric.PAID.value, 1),
        Tally("control", Metric.SIGNUP.value, 1),
        Tally("outcome", EXPOSURE, 1),
        Tally("outcome", Metric.SIGNUP.value, 1),
    ]


def test_a_visitor_links_to_the_first_user_only(repo: Repository) -> None:
    alice = repo.create_user(make_user())
    bob = repo.create_user(make_user())
    visitor, other = new_id(), new_id()
    assert repo.link_visitor(visitor, alice.id, T0) == alice.id
    assert repo.link_visitor(visitor, alice.id, T0) == alice.id
    assert repo.link_visitor(visitor, bob.id, T0) == alice.id
    repo.link_visitor(other, alice.id, T0 + timedelta(days=1))
    assert repo.list_user_visitors(alice.id) == [visitor, other]
    assert repo.list_user_visitors(bob.id) == []


def test_linking_to_an_unknown_user_stores_nothing(repo: Repository) -> None:
    visitor = new_id()
    assert repo.link_visitor(visitor, new_id(), T0) == ""
    user = repo.create_user(make_user())
    assert repo.link_visitor(visitor, user.id, T0) == user.id


def test_deleting_a_user_removes_their_visitor_listing(repo: Repository) -> None:
    user = repo.create_user(make_user())
    repo.link_visitor(new_id(), user.id, T0)
    repo.delete_user(user.id)
    assert repo.list_user_visitors(user.id) == []


def test_the_first_definition_fingerprint_wins(repo: Repository) -> None:
    assert repo.lock_experiment_definition("hero_headline", 1, "aaaa", T0) == "aaaa"
    assert repo.lock_experiment_definition("hero_headline", 1, "bbbb", T0) == "aaaa"
    assert repo.lock_experiment_definition("hero_headline", 2, "bbbb", T0) == "bbbb"


def test_racing_exposures_of_one_visitor_count_once(repo: Repository) -> None:
    visitor = new_id()
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda _: repo.record_exposure(_exposure(visitor)), range(16)))
    assert outcomes.count(True) == 1
    assert repo.experiment_tallies("hero_headline", 1) == [Tally("control", EXPOSURE, 1)]
