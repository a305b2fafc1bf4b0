"""The experiments as they run now: the catalog with stored lifecycles, cached briefly.

Every page load needs them, so each app worker keeps what it read for
``LIFECYCLE_CACHE_S``; a staff change therefore reaches every worker within that time
(and the worker that made it at once, since it forgets its copy).
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any

from keycraft.services.experiments.catalog import EXPERIMENTS
from keycraft.services.experiments.lifecycle import Lifecycle, apply_lifecycle
from keycraft.services.experiments.model import Experiment
from keycraft.services.repository.port_admin import AdminRepository

LIFECYCLE_CACHE_S = 2.0
"""How stale a worker's view of staff decisions may be (seconds)."""

_lock = threading.Lock()
_cached: dict[str, Lifecycle] | None = None
_cached_at_s = 0.0
_cached_from: weakref.ref[Any] | None = None
"""The repository the copy came from (tests build many; a copy never crosses them)."""


def stored_lifecycles(repo: AdminRepository, *, fresh: bool = False) -> dict[str, Lifecycle]:
    """Stored lifecycles by experiment key, from the cache unless stale or ``fresh``.

    Raises:
        RepositoryUnavailable: The store is down and nothing was read before.
    """
    global _cached, _cached_at_s, _cached_from
    now_s = time.monotonic()
    with _lock:
        same_repo = _cached_from is not None and _cached_from() is repo
        young = now_s - _cached_at_s < LIFECYCLE_CACHE_S
        if not fresh and same_repo and young and _cached is not None:
            return _cached
    loaded = {stored.experiment_key: stored for stored in repo.list_experiment_lifecycles()}
    with _lock:
        _cached, _cached_at_s, _cached_from = loaded, now_s, weakref.ref(repo)
    return loaded


def forget_cached_lifecycles() -> None:
    """Drop this worker's copy (after a change here, or between tests)."""
    global _cached
    with _lock:
        _cached = None


def live_experiments(repo: AdminRepository, *, fresh: bool = False) -> tuple[Experiment, ...]:
    """Every declared experiment with its stored lifecycle applied."""
    stored = stored_lifecycles(repo, fresh=fresh)
    return tuple(apply_lifecycle(e, stored.get(e.key)) for e in EXPERIMENTS)


def live_experiment(repo: AdminRepository, key: str) -> Experiment | None:
    """One experiment as it runs now (None if the catalog does not declare it)."""
    return next((e for e in live_experiments(repo) if e.key == key), None)
