"""Plan a long recording as overlapping chunks, each one transcriber request.

Why these numbers (docs/jobs.md, "Long recordings in chunks"): the deployed transcriber
runs one request per 1-vCPU instance, five instances, 1800 s per request. Transkun needs
1-2.4 s of work per second of audio on one thread, so a 370 s chunk takes at most about
900 s: well inside one request's 1800 s even at the slow end, and five of them cover the
30 minutes the app accepts in one round of the five instances.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_CHUNK_S = 370.0
"""A recording longer than this is cut; no chunk is longer (30 min = 5 chunks of 368 s)."""
OVERLAP_S = 10.0
"""Audio two neighbouring chunks share. The seam is cut near its middle, so each side keeps
at least ~2.5 s of context beyond the cut: more than a model needs to place an onset, and
room for the cut to move to a quiet moment."""
PARALLEL_CHUNKS = 5
"""Chunk requests one job has in flight at once: the transcriber's instance count."""


@dataclass(frozen=True, slots=True)
class ChunkPolicy:
    """How a job cuts a long recording.

    Attributes:
        max_chunk_s: Recordings longer than this are cut; chunks are at most this long.
        overlap_s: Seconds of audio neighbouring chunks share.
        parallel: Chunk requests in flight at once.
    """

    max_chunk_s: float = MAX_CHUNK_S
    overlap_s: float = OVERLAP_S
    parallel: int = PARALLEL_CHUNKS

    def __post_init__(self) -> None:
        """Refuse a policy that could not advance through the recording."""
        if self.overlap_s < 0 or self.max_chunk_s <= 2 * self.overlap_s or self.parallel < 1:
            raise ValueError("chunks must be longer than twice their overlap")


@dataclass(frozen=True, slots=True)
class ChunkSpan:
    """One chunk: the audio ``[start_s, end_s)`` of the recording, the ``index``-th of all."""

    index: int
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        """Seconds of audio in the chunk."""
        return self.end_s - self.start_s


def plan_chunks(duration_s: float, policy: ChunkPolicy) -> list[ChunkSpan]:
    """The chunks a recording of ``duration_s`` is cut into: one when it is short enough.

    The fewest chunks that stay within ``max_chunk_s`` are made, all of the same length,
    so no chunk (the last in particular) is a short, poorly used request.
    """
    if duration_s <= policy.max_chunk_s:
        return [ChunkSpan(0, 0.0, duration_s)]
    step_max_s = policy.max_chunk_s - policy.overlap_s
    count = math.ceil((duration_s - policy.overlap_s) / step_max_s)
    length_s = (duration_s + (count - 1) * policy.overlap_s) / count
    step_s = length_s - policy.overlap_s
    spans = [ChunkSpan(i, i * step_s, i * step_s + length_s) for i in range(count)]
    # The last chunk ends exactly where the recording does (no rounding drift).
    last = spans[-1]
    spans[-1] = ChunkSpan(last.index, last.start_s, duration_s)
    return spans


def own_regions(spans: list[ChunkSpan]) -> list[tuple[float, float]]:
    """Each chunk's share of the recording, split at the middle of every overlap.

    Used for the live preview only; the stitched result chooses its own cut points.
    """
    edges = [(a.end_s + b.start_s) / 2 for a, b in zip(spans, spans[1:], strict=False)]
    starts = [-math.inf, *edges]
    ends = [*edges, math.inf]
    return list(zip(starts, ends, strict=True))
