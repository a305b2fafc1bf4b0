"""Planning a long recording's chunks."""

from __future__ import annotations

import pytest

from keycraft.config import Settings
from keycraft.services.jobs.chunked import sequential_s
from keycraft.services.jobs.chunks import (
    MAX_CHUNK_S,
    OVERLAP_S,
    PARALLEL_CHUNKS,
    ChunkPolicy,
    ChunkSpan,
    own_regions,
    plan_chunks,
)


def test_a_recording_up_to_the_chunk_length_is_one_request() -> None:
    assert plan_chunks(MAX_CHUNK_S, ChunkPolicy()) == [ChunkSpan(0, 0.0, MAX_CHUNK_S)]


def test_thirty_minutes_is_five_equal_chunks_within_the_limit_sharing_the_overlap() -> None:
    spans = plan_chunks(1800.0, ChunkPolicy())
    assert len(spans) == 5  # one round of the transcriber's five instances
    assert spans[0].start_s == 0.0 and spans[-1].end_s == 1800.0
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end_s - b.start_s == pytest.approx(OVERLAP_S)
    assert all(s.duration_s <= MAX_CHUNK_S for s in spans)
    assert max(s.duration_s for s in spans) - min(s.duration_s for s in spans) < 1e-6


@pytest.mark.parametrize("duration_s", [12.01, 13.0, 25.0, 47.3, 100.0])
def test_any_length_is_covered_by_chunks_no_longer_than_the_limit(duration_s: float) -> None:
    policy = ChunkPolicy(max_chunk_s=12.0, overlap_s=4.0)
    spans = plan_chunks(duration_s, policy)
    assert len(spans) >= 2
    assert [s.index for s in spans] == list(range(len(spans)))
    assert spans[0].start_s == 0.0 and spans[-1].end_s == duration_s
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end_s - b.start_s == pytest.approx(4.0)
    assert all(s.duration_s <= 12.0 + 1e-9 for s in spans)


def test_each_chunk_owns_up_to_the_middle_of_its_overlaps() -> None:
    spans = plan_chunks(30.0, ChunkPolicy(max_chunk_s=12.0, overlap_s=4.0))
    regions = own_regions(spans)
    assert regions[0][0] == float("-inf") and regions[-1][1] == float("inf")
    for (a, b), (low_s, high_s) in zip(zip(spans, spans[1:], strict=False), regions, strict=False):
        assert high_s == pytest.approx((a.end_s + b.start_s) / 2)
        assert low_s < high_s


def test_a_policy_that_cannot_advance_is_refused() -> None:
    with pytest.raises(ValueError):
        ChunkPolicy(max_chunk_s=10.0, overlap_s=5.0)


def test_the_settings_default_to_the_planned_chunks() -> None:
    fields = Settings.model_fields
    assert fields["job_chunk_max_s"].default == MAX_CHUNK_S
    assert fields["job_chunk_overlap_s"].default == OVERLAP_S
    assert fields["job_chunk_parallel"].default == PARALLEL_CHUNKS


def test_chunks_side_by_side_take_the_time_of_one_round() -> None:
    spans = plan_chunks(1800.0, ChunkPolicy())
    assert sequential_s(spans, 5) == pytest.approx(368.0)
    assert sequential_s(spans, 2) == pytest.approx(3 * 368.0)
