"""Transcribe a long recording as parallel chunk requests, then stitch them into one.

Finished chunks are kept (``chunk_store``): when one chunk meets a busy or failing
transcriber, the others still finish and are kept, and the job's retry sends only the
chunks still missing. Cancelling the task cancels every chunk request in flight.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from keycraft.services.jobs.chunk_store import load_chunk, save_chunk
from keycraft.services.jobs.chunks import ChunkSpan, own_regions
from keycraft.services.jobs.stitch import ChunkTranscription, stitch
from keycraft.services.storage.port import Storage
from keycraft.services.transcription.audio_slice import AudioSlice, slice_recording
from keycraft.services.transcription.client import (
    ProgressCallback,
    TranscribedNote,
    TranscriberBusy,
    TranscriberUnavailable,
    Transcription,
    TranscriptionProgress,
)

PARTS_PER_CHUNK = 100
"""A chunked job's progress counts each chunk as this many parts, shared out by the
model's own parts (segments) within the chunk as the transcriber reports them."""

ChunkRequest = Callable[[ChunkSpan, AudioSlice, ProgressCallback], Awaitable[Transcription]]
"""Sends one chunk's audio to the transcriber, streaming its parts to the callback."""


def sequential_s(spans: Sequence[ChunkSpan], parallel: int) -> float:
    """Audio one request after another must get through: chunks run ``parallel`` abreast."""
    rounds = math.ceil(len(spans) / parallel)
    return rounds * max(s.duration_s for s in spans)


class ChunkProgress:
    """Folds the chunks' streamed parts into one progress for the whole recording.

    Its ``duration_s`` is the audio the chunks take one after another (``sequential_s``), not
    the recording's length: the job's first estimate scales it by the model's speed, and
    chunks side by side take the time of one.
    """

    def __init__(
        self, spans: Sequence[ChunkSpan], duration_s: float, sink: ProgressCallback
    ) -> None:
        self._spans = list(spans)
        self._regions = own_regions(self._spans)
        self._duration_s = duration_s
        self._sink = sink
        self._parts = [0] * len(self._spans)
        self._lock = asyncio.Lock()  # one write at a time, in the order parts arrive

    def finished(self, index: int) -> None:
        """Count a chunk as done (it was kept from an earlier attempt)."""
        self._parts[index] = PARTS_PER_CHUNK

    async def report(self) -> None:
        """Hand the current total to the sink, with no new notes."""
        await self._emit(())

    def for_chunk(self, span: ChunkSpan) -> ProgressCallback:
        """The progress callback for one chunk's request."""
        low_s, high_s = self._regions[span.index]

        async def on_progress(progress: TranscriptionProgress) -> None:
            if progress.total > 0:
                share = progress.done * PARTS_PER_CHUNK // progress.total
                self._parts[span.index] = max(self._parts[span.index], share)
            # The preview shows each chunk's notes in its own share of the overlaps only,
            # so a note heard by two chunks is not shown twice.
            placed = tuple(
                replace(n, start_s=n.start_s + span.start_s, end_s=n.end_s + span.start_s)
                for n in progress.new_notes
            )
            await self._emit(tuple(n for n in placed if low_s <= n.start_s < high_s))

        return on_progress

    async def _emit(self, new_notes: tuple[TranscribedNote, ...]) -> None:
        async with self._lock:
            await self._sink(
                TranscriptionProgress(
                    done=sum(self._parts),
                    total=PARTS_PER_CHUNK * len(self._spans),
                    duration_s=self._duration_s,
                    new_notes=new_notes,
                )
            )


async def transcribe_in_chunks(
    storage: Storage,
    job_id: str,
    audio: bytes,
    suffix: str,
    spans: Sequence[ChunkSpan],
    parallel: int,
    request: ChunkRequest,
    on_progress: ProgressCallback,
) -> Transcription:
    """Transcribe every chunk not kept yet, ``parallel`` at a time, and stitch them.

    Raises:
        TranscriberBusy, TranscriberUnavailable: a chunk met a busy or failing service
            (after every other chunk in flight finished and was kept).
        DomainError: a chunk was refused; the other requests are cancelled.
    """
    duration_s = spans[-1].end_s
    results: dict[int, Transcription] = {}
    progress = ChunkProgress(spans, sequential_s(spans, parallel), on_progress)
    for span in spans:
        kept = await asyncio.to_thread(load_chunk, storage, job_id, span)
        if kept is not None:
            results[span.index] = kept
            progress.finished(span.index)
    await progress.report()
    slots = asyncio.Semaphore(parallel)
    cutting = asyncio.Lock()  # one decoded chunk in memory at a time while cutting

    async def run_chunk(span: ChunkSpan) -> None:
        async with slots:
            async with cutting:
                piece = await asyncio.to_thread(
                    slice_recording, audio, suffix, span.start_s, span.end_s, 0.0, compact=True
                )
            result = await request(span, piece, progress.for_chunk(span))
            await asyncio.to_thread(save_chunk, storage, job_id, span, result)
            results[span.index] = result
            progress.finished(span.index)
        await progress.report()

    tasks = [asyncio.create_task(run_chunk(s)) for s in spans if s.index not in results]
    retry: BaseException | None = None
    try:
        pending = set(tasks)
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                error = task.exception()
                if isinstance(error, TranscriberBusy | TranscriberUnavailable):
                    retry = retry or error  # the other chunks carry on and are kept
                elif error is not None:
                    raise error
    finally:
        for task in tasks:
            task.cancel()  # a refusal or a cancel of the job stops every request in flight
        await asyncio.gather(*tasks, return_exceptions=True)
    if retry is not None:
        raise retry
    return stitch(
        [ChunkTranscription(s.start_s, s.end_s, results[s.index]) for s in spans], duration_s
    )
