"""The served app freezes its start-up objects once, when it starts serving."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from keycraft.api.startup_memory import freeze_startup_objects


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test run collects as usual


def test_objects_alive_at_start_up_leave_the_collector(unfrozen: None) -> None:
    assert gc.get_freeze_count() == 0
    freeze_startup_objects()
    assert gc.get_freeze_count() > 0
    frozen = gc.get_freeze_count()
    # Garbage made afterwards is still collected.
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1
    assert gc.get_freeze_count() == frozen


def test_the_app_runs_it_when_it_starts() -> None:
    from keycraft.keycraft import app

    assert freeze_startup_objects in app.get_lifespan_tasks()
