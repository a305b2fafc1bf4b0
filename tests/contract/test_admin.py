"""Staff storage on each adapter: lifecycles, the audit log, the staff list, daily tallies."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from keycraft.services.audit import audit_entry
from keycraft.services.errors import Conflict
from keycraft.services.experiments import lifecycle
from keycraft.services.experiments.catalog import HERO_HEADLINE, PRICING_CTA
from keycraft.services.experiments.lifecycle import declared_lifecycle
from keycraft.services.experiments.model import (
    EXPOSURE,
    Conversion,
    DailyTally,
    Exposure,
    Metric,
    Status,
    Variant,
)
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_user, new_id


def test_a_lifecycle_is_stored_and_changed_only_from_the_revision_read(repo: Repository) -> None:
    assert repo.list_experiment_lifecycles() == []
    started = lifecycle.start(declared_lifecycle(PRICING_CTA), "a@example.com", T0)
    repo.save_experiment_lifecycle(started)
    assert repo.list_experiment_lifecycles() == [started]
    with pytest.raises(Conflict):
        repo.save_experiment_lifecycle(started)  # a second "create" lost the race
    reweighed = lifecycle.reweigh(started, {"control": 9, "try_free": 1}, "b@example.com", T0)
    repo.save_experiment_lifecycle(reweighed)
    stale = lifecycle.pause(started, "c@example.com", T0)  # built on revision 1, now 2 is stored
    with pytest.raises(Conflict):
        repo.save_experiment_lifecycle(stale)
    (stored,) = repo.list_experiment_lifecycles()
    assert stored == reweighed
    assert stored.weights == (Variant("control", 9), Variant("try_free", 1))
    concluded = lifecycle.declare_winner(stored, "try_free", "b@example.com", T0)
    repo.save_experiment_lifecycle(concluded)
    repo.save_experiment_lifecycle(lifecycle.ramp(declared_lifecycle(HERO_HEADLINE), 10, "a", T0))
    by_key = {s.experiment_key: s for s in repo.list_experiment_lifecycles()}
    assert by_key[PRICING_CTA.key].winner == "try_free"
    assert by_key[PRICING_CTA.key].status is Status.STOPPED
    assert by_key[HERO_HEADLINE.key].ramp_percent == 10


def test_the_audit_log_lists_the_newest_entries_first(repo: Repository) -> None:
    entries = [
        audit_entry(T0 + timedelta(seconds=i), "a@example.com", "experiment.pause", "k", f"#{i}")
        for i in range(5)
    ]
    for entry in entries:
        repo.add_audit_entry(entry)
    assert repo.list_audit_entries(3) == entries[:-4:-1]
    assert repo.list_audit_entries(50) == entries[::-1]


def test_staff_are_listed_by_role_as_their_role_changes(repo: Repository) -> None:
    alice = repo.create_user(make_user("alice@example.com", role="staff"))
    bob = repo.create_user(make_user("bob@example.com"))
    repo.create_user(make_user("carol@example.com"))
    assert [u.email for u in repo.list_users_with_role("staff")] == ["alice@example.com"]
    repo.update_user(dataclasses.replace(bob, role="staff"))
    assert [u.email for u in repo.list_users_with_role("staff")] == [
        "alice@example.com",
        "bob@example.com",
    ]
    repo.update_user(dataclasses.replace(alice, role="user", name="Alice"))
    assert [u.email for u in repo.list_users_with_role("staff")] == ["bob@example.com"]
    repo.delete_user(bob.id)
    assert repo.list_users_with_role("staff") == []


def test_daily_tallies_count_each_day_apart(repo: Repository) -> None:
    key, version = HERO_HEADLINE.key, 7
    day_one, day_two = T0, T0 + timedelta(days=1)
    first, second, third = new_id(), new_id(), new_id()
    repo.record_exposure(Exposure(key, version, first, "control", day_one))
    repo.record_exposure(Exposure(key, version, second, "outcome", day_one))
    repo.record_exposure(Exposure(key, version, third, "outcome", day_two))
    repo.record_exposure(Exposure(key, version, third, "outcome", day_two))  # once only
    repo.record_conversion(Conversion(key, version, second, "outcome", Metric.SIGNUP, day_two))
    assert repo.experiment_daily_tallies(key, version) == [
        DailyTally(day_one.date(), "control", EXPOSURE, 1),
        DailyTally(day_one.date(), "outcome", EXPOSURE, 1),
        DailyTally(day_two.date(), "outcome", EXPOSURE, 1),
        DailyTally(day_two.date(), "outcome", "signup", 1),
    ]
    assert repo.experiment_daily_tallies(key, version + 1) == []
