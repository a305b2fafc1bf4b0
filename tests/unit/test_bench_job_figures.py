"""The jobs benchmark's figures: percentiles, spreads, queue waits, partial-note lines."""

from __future__ import annotations

import pytest

from bench.job_figures import (
    NO_PARTIALS,
    JobTrace,
    Spread,
    first_partials_s,
    partials_line,
    percentile,
    queue_waits_s,
    spread,
    throughput,
    until_done_s,
)
from bench.jobs_bench import RECORDING_S
from bench.rendered_pieces import RENDER_TAIL_S, two_hands


def _trace(
    submitted_s: float = 0.0,
    ended_s: float = 10.0,
    first_partial_s: float | None = None,
    started_at: str | None = "2026-01-31T12:00:04.500000+00:00",
) -> JobTrace:
    return JobTrace(
        job_id="j",
        status="done",
        submitted_s=submitted_s,
        ended_s=ended_s,
        first_partial_s=first_partial_s,
        created_at="2026-01-31T12:00:00+00:00",
        started_at=started_at,
        finished_at="2026-01-31T12:00:10+00:00",
    )


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(20, 0, -1)]  # 1..20, unordered

    assert percentile(values, 0.5) == 10.0
    assert percentile(values, 0.95) == 19.0
    assert percentile(values, 1.0) == 20.0
    assert percentile([7.0], 0.95) == 7.0


def test_percentile_refuses_nothing_and_out_of_range_fractions() -> None:
    with pytest.raises(ValueError):
        percentile([], 0.5)
    with pytest.raises(ValueError):
        percentile([1.0], 0.0)


def test_spread_of_nothing_is_none() -> None:
    assert spread([]) is None
    assert spread([3.0, 1.0, 2.0]) == Spread(p50_s=2.0, p95_s=3.0, count=3)


def test_queue_wait_runs_from_creation_to_start_and_skips_jobs_never_started() -> None:
    traces = [_trace(), _trace(started_at=None)]

    assert queue_waits_s(traces) == [4.5]


def test_partials_are_timed_from_submit_and_reported_as_missing_when_none_came() -> None:
    with_partial = [_trace(submitted_s=1.0, first_partial_s=3.5), _trace()]

    assert first_partials_s(with_partial) == [2.5]
    assert partials_line(with_partial).endswith("(1/2 jobs reported partial notes)")
    assert partials_line([_trace(), _trace()]) == NO_PARTIALS


def test_throughput_is_audio_seconds_per_wall_second() -> None:
    assert throughput(400.0, 80.0) == 5.0
    assert until_done_s([_trace(submitted_s=2.0, ended_s=12.5)]) == [10.5]
    with pytest.raises(ValueError):
        throughput(400.0, 0.0)


def test_bench_pieces_fill_the_recording_and_differ_by_seed() -> None:
    first, second = two_hands(1, RECORDING_S), two_hands(2, RECORDING_S)

    assert RECORDING_S - RENDER_TAIL_S - 1.5 < first.duration_s <= RECORDING_S - RENDER_TAIL_S
    assert first.notes != second.notes
    assert two_hands(1, RECORDING_S) == first
