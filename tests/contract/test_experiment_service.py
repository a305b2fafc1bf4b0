"""Experiment use cases on each real adapter: exposure, sign-up linking, attribution."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from keycraft.services.experiments.assignment import assign
from keycraft.services.experiments.catalog import HERO_HEADLINE
from keycraft.services.experiments.model import EXPOSURE, Metric, Tally, Variant
from keycraft.services.experiments.report import CHANGED_WARNING, definition_warning, results_views
from keycraft.services.experiments.service import (
    Choice,
    ExperimentChanged,
    choose_variant,
    link_visitor,
    record_conversion,
    record_exposure,
    record_signup,
    verify_definition,
    visitor_for_user,
)
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_user, new_id


def _expose(repo: Repository, visitor: str, at: timedelta = timedelta(0)) -> Choice:
    choice = choose_variant(HERO_HEADLINE, visitor, bot=False)
    record_exposure(repo, choice, visitor, T0 + at)
    return choice


def test_exposure_is_counted_once_however_often_the_variant_renders(repo: Repository) -> None:
    visitor = new_id()
    choice = choose_variant(HERO_HEADLINE, visitor, bot=False)
    assert record_exposure(repo, choice, visitor, T0) is True
    assert record_exposure(repo, choice, visitor, T0 + timedelta(minutes=5)) is False
    assert repo.experiment_tallies(HERO_HEADLINE.key, HERO_HEADLINE.version) == [
        Tally(choice.variant, EXPOSURE, 1)
    ]


def test_a_claimed_variant_other_than_the_assignment_is_not_recorded(repo: Repository) -> None:
    visitor = new_id()
    other = next(k for k in HERO_HEADLINE.variant_keys if k != assign(HERO_HEADLINE, visitor))
    assert record_exposure(repo, Choice(HERO_HEADLINE.key, other, True), visitor, T0) is False
    assert record_exposure(repo, choose_variant(HERO_HEADLINE, visitor, bot=True), visitor, T0) is (
        False
    )
    assert repo.experiment_tallies(HERO_HEADLINE.key, HERO_HEADLINE.version) == []


def test_signup_after_linking_credits_the_visitors_variant(repo: Repository) -> None:
    user = repo.create_user(make_user())
    visitor = new_id()
    choice = _expose(repo, visitor)
    assert link_visitor(repo, visitor, user.id, T0 + timedelta(minutes=1)) is True
    assert record_conversion(repo, Metric.SIGNUP, T0 + timedelta(minutes=1), user_id=user.id) == 1
    # The sign-up flow and a later sign-in may both report it: still one conversion.
    assert record_conversion(repo, Metric.SIGNUP, T0 + timedelta(minutes=2), user_id=user.id) == 0
    assert Tally(choice.variant, Metric.SIGNUP.value, 1) in repo.experiment_tallies(
        HERO_HEADLINE.key, HERO_HEADLINE.version
    )


def test_a_user_on_two_devices_is_credited_once_to_the_earliest_exposure(
    repo: Repository,
) -> None:
    user = repo.create_user(make_user())
    laptop, phone = new_id(), new_id()
    first = _expose(repo, laptop, timedelta(minutes=0))
    _expose(repo, phone, timedelta(minutes=10))
    link_visitor(repo, phone, user.id, T0 + timedelta(minutes=11))
    link_visitor(repo, laptop, user.id, T0 + timedelta(minutes=12))
    assert record_conversion(repo, Metric.PAID, T0 + timedelta(hours=1), user_id=user.id) == 1
    paid = [
        t
        for t in repo.experiment_tallies(HERO_HEADLINE.key, HERO_HEADLINE.version)
        if t.event == Metric.PAID.value
    ]
    assert paid == [Tally(first.variant, Metric.PAID.value, 1)]


def test_exposure_after_the_conversion_is_not_credited(repo: Repository) -> None:
    visitor = new_id()
    _expose(repo, visitor, timedelta(hours=2))
    assert record_conversion(repo, Metric.SIGNUP, T0, visitor_id=visitor) == 0


def test_an_unlinked_user_or_unexposed_visitor_converts_nothing(repo: Repository) -> None:
    user = repo.create_user(make_user())
    assert record_conversion(repo, Metric.SIGNUP, T0, user_id=user.id) == 0
    assert record_conversion(repo, Metric.SIGNUP, T0, visitor_id=new_id()) == 0
    assert link_visitor(repo, "not-a-visitor-id", user.id, T0) is False


def test_changing_weights_without_a_version_bump_is_refused(repo: Repository) -> None:
    original = dataclasses.replace(HERO_HEADLINE, key=f"t{new_id()[:12]}")
    verify_definition(repo, original, T0)
    reweighted = dataclasses.replace(
        original, variants=(Variant("control", 90), Variant("outcome", 10))
    )
    with pytest.raises(ExperimentChanged):
        verify_definition(repo, reweighted, T0)
    verify_definition(repo, dataclasses.replace(reweighted, version=2), T0)


def test_record_signup_links_and_credits_in_one_call(repo: Repository) -> None:
    user = repo.create_user(make_user())
    visitor = new_id()
    choice = _expose(repo, visitor)
    assert record_signup(repo, visitor, user.id, T0 + timedelta(minutes=3)) == 1
    assert repo.list_user_visitors(user.id) == [visitor]
    assert Tally(choice.variant, Metric.SIGNUP.value, 1) in repo.experiment_tallies(
        HERO_HEADLINE.key, HERO_HEADLINE.version
    )


def test_a_signed_in_user_keeps_their_first_visitor_id_on_a_new_device(repo: Repository) -> None:
    user = repo.create_user(make_user())
    laptop, phone = new_id(), new_id()
    assert visitor_for_user(repo, laptop, user.id, T0) == laptop
    assert visitor_for_user(repo, phone, user.id, T0 + timedelta(days=1)) == laptop
    assert repo.list_user_visitors(user.id) == [laptop, phone]
    # A browser already linked to someone else keeps its own id for the new user.
    other = repo.create_user(make_user())
    assert visitor_for_user(repo, laptop, other.id, T0 + timedelta(days=2)) == laptop
    assert repo.list_user_visitors(other.id) == []


def test_the_results_page_warns_about_a_refused_definition(repo: Repository) -> None:
    original = dataclasses.replace(HERO_HEADLINE, key=f"t{new_id()[:12]}")
    assert definition_warning(repo, original, T0) == ""
    reweighted = dataclasses.replace(
        original, variants=(Variant("control", 1), Variant("outcome", 3))
    )
    assert definition_warning(repo, reweighted, T0) == CHANGED_WARNING
    [view] = results_views(repo, (reweighted,), T0)
    assert view.summary["warning"] == CHANGED_WARNING
    assert [row["variant"] for row in view.rows] == ["control", "outcome"]
