"""Lifecycle transitions and what visitors see in each state (pure, no storage)."""

from __future__ import annotations

import dataclasses

import pytest

from keycraft.services.experiments import lifecycle
from keycraft.services.experiments.assignment import assign, in_ramp, new_visitor_id
from keycraft.services.experiments.catalog import HERO_HEADLINE, PRICING_CTA
from keycraft.services.experiments.lifecycle import (
    LifecycleRefused,
    apply_lifecycle,
    declared_lifecycle,
)
from keycraft.services.experiments.model import Status, Variant
from keycraft.services.experiments.service import choose_variant
from tests.support.factories import T0

STAFF = "staff@example.com"


def test_a_draft_starts_pauses_resumes_and_stops_keeping_its_version() -> None:
    draft = declared_lifecycle(PRICING_CTA)
    running = lifecycle.start(draft, STAFF, T0)
    assert (running.status, running.version, running.revision) == (Status.RUNNING, 1, 1)
    assert running.updated_by == STAFF and running.updated_at == T0
    paused = lifecycle.pause(running, STAFF, T0)
    resumed = lifecycle.resume(paused, STAFF, T0)
    stopped = lifecycle.stop(resumed, STAFF, T0)
    assert [s.status for s in (paused, resumed, stopped)] == [
        Status.PAUSED,
        Status.RUNNING,
        Status.STOPPED,
    ]
    assert stopped.version == 1 and stopped.revision == 4
    # A stopped experiment restarts as a new version, counted apart.
    assert lifecycle.start(stopped, STAFF, T0).version == 2


@pytest.mark.parametrize(
    ("change", "status"),
    [
        (lambda c: lifecycle.pause(c, STAFF, T0), Status.DRAFT),
        (lambda c: lifecycle.resume(c, STAFF, T0), Status.RUNNING),
        (lambda c: lifecycle.stop(c, STAFF, T0), Status.DRAFT),
        (lambda c: lifecycle.start(c, STAFF, T0), Status.RUNNING),
        (lambda c: lifecycle.declare_winner(c, "control", STAFF, T0), Status.DRAFT),
        (lambda c: lifecycle.reweigh(c, {"control": 1, "outcome": 2}, STAFF, T0), Status.STOPPED),
    ],
)
def test_changes_that_make_no_sense_are_refused(change: object, status: Status) -> None:
    current = dataclasses.replace(declared_lifecycle(HERO_HEADLINE), status=status)
    with pytest.raises(LifecycleRefused):
        change(current)  # type: ignore[operator]


def test_a_new_split_of_a_running_experiment_is_a_new_version() -> None:
    running = declared_lifecycle(HERO_HEADLINE)
    reweighed = lifecycle.reweigh(running, {"control": 80, "outcome": 20}, STAFF, T0)
    assert reweighed.version == running.version + 1
    assert reweighed.weights == (Variant("control", 80), Variant("outcome", 20))
    # A draft has counted nobody yet, so its split changes in place.
    draft = declared_lifecycle(PRICING_CTA)
    assert lifecycle.reweigh(draft, {"control": 1, "try_free": 3}, STAFF, T0).version == 1
    for bad in ({"control": 0, "outcome": 1}, {"control": 1}, {"control": 50, "outcome": 50}):
        with pytest.raises(LifecycleRefused):
            lifecycle.reweigh(running, bad, STAFF, T0)


def test_the_stored_lifecycle_overrides_the_declaration() -> None:
    stored = lifecycle.reweigh(
        declared_lifecycle(HERO_HEADLINE), {"control": 30, "outcome": 70}, STAFF, T0
    )
    live = apply_lifecycle(HERO_HEADLINE, lifecycle.ramp(stored, 10, STAFF, T0))
    assert live.variants == (Variant("control", 30), Variant("outcome", 70))
    assert (live.version, live.ramp_percent, live.status) == (2, 10, Status.RUNNING)
    assert apply_lifecycle(HERO_HEADLINE, None) is HERO_HEADLINE
    assert live.problems() == []


def test_a_ramp_lets_in_about_its_share_and_raising_it_moves_nobody_out() -> None:
    visitors = [new_visitor_id() for _ in range(4000)]
    at_10 = dataclasses.replace(HERO_HEADLINE, ramp_percent=10)
    at_50 = dataclasses.replace(HERO_HEADLINE, ramp_percent=50)
    inside_10 = {v for v in visitors if in_ramp(at_10, v)}
    inside_50 = {v for v in visitors if in_ramp(at_50, v)}
    assert 0.08 < len(inside_10) / len(visitors) < 0.12
    assert inside_10 <= inside_50
    for visitor in visitors[:400]:
        choice = choose_variant(at_10, visitor, bot=False)
        if visitor in inside_10:
            assert choice.counted and choice.variant == assign(at_10, visitor)
        else:
            assert not choice.counted and choice.variant == "control"


def test_paused_experiments_keep_assigned_visitors_and_show_newcomers_the_control() -> None:
    paused = dataclasses.replace(HERO_HEADLINE, status=Status.PAUSED)
    visitor = new_visitor_id()
    kept = choose_variant(paused, visitor, bot=False, earlier="outcome")
    assert (kept.variant, kept.counted) == ("outcome", False)
    newcomer = choose_variant(paused, new_visitor_id(), bot=False)
    assert (newcomer.variant, newcomer.counted) == ("control", False)


def test_a_declared_winner_is_served_to_everyone_uncounted() -> None:
    concluded = dataclasses.replace(HERO_HEADLINE, status=Status.STOPPED, winner="outcome")
    for visitor in (new_visitor_id(), new_visitor_id(), ""):
        choice = choose_variant(concluded, visitor, bot=False, earlier="control")
        assert (choice.variant, choice.counted) == ("outcome", False)
    assert choose_variant(concluded, new_visitor_id(), bot=True).variant == "outcome"
