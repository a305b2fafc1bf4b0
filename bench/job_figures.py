"""Figures of the jobs benchmark from what it observed: spreads, throughput, integrity lines."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

NO_PARTIALS = "n/a (no partial notes reported)"


@dataclass(frozen=True)
class JobTrace:
    """One submitted job as its user's client saw it (seconds on the bench's clock).

    ``first_partial_s`` is the first poll that showed partial notes (a non-empty ``notes``
    list or ``progress_done > 0`` before the job was done); None when none did.
    """

    job_id: str
    status: str
    submitted_s: float
    ended_s: float
    first_partial_s: float | None
    created_at: str
    started_at: str | None
    finished_at: str | None


@dataclass(frozen=True)
class Spread:
    """Median and 95th percentile of some durations, in seconds."""

    p50_s: float
    p95_s: float
    count: int

    def __str__(self) -> str:
        return f"p50 {self.p50_s:.1f} s  p95 {self.p95_s:.1f} s  (n={self.count})"


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with ``fraction`` of values at or below.

    Raises:
        ValueError: ``values`` is empty or ``fraction`` is outside (0, 1].
    """
    if not values:
        raise ValueError("no values")
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    ordered = sorted(values)
    return ordered[math.ceil(fraction * len(ordered)) - 1]


def spread(values: Sequence[float]) -> Spread | None:
    """p50 and p95 of ``values``; None when there are none."""
    if not values:
        return None
    return Spread(percentile(values, 0.5), percentile(values, 0.95), len(values))


def _seconds_between(earlier: str, later: str) -> float:
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds()


def queue_waits_s(traces: Sequence[JobTrace]) -> list[float]:
    """Created → first started, per job that started (the job record's own times)."""
    return [_seconds_between(t.created_at, t.started_at) for t in traces if t.started_at]


def first_partials_s(traces: Sequence[JobTrace]) -> list[float]:
    """Submit → first partial notes seen, per job that reported any."""
    return [t.first_partial_s - t.submitted_s for t in traces if t.first_partial_s is not None]


def until_done_s(traces: Sequence[JobTrace]) -> list[float]:
    """Submit → the poll that saw the job end, per job."""
    return [t.ended_s - t.submitted_s for t in traces]


def throughput(audio_s: float, wall_s: float) -> float:
    """Audio seconds transcribed per wall-clock second."""
    if wall_s <= 0:
        raise ValueError("wall time must be positive")
    return audio_s / wall_s


def partials_line(traces: Sequence[JobTrace]) -> str:
    """The time-to-first-partial figure, or why there is none."""
    found = spread(first_partials_s(traces))
    if found is None:
        return NO_PARTIALS
    return f"{found}  ({found.count}/{len(traces)} jobs reported partial notes)"


def spread_line(values: Sequence[float]) -> str:
    """A spread as text, or ``n/a`` when nothing was measured."""
    found = spread(values)
    return "n/a" if found is None else str(found)
