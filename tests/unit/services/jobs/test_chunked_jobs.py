"""A long recording's job runs as parallel chunk requests: one project, chunk retries, cancel."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import soundfile

from keycraft.services.billing.plans import PlanCatalog
from keycraft.services.clock import utc_now
from keycraft.services.jobs.chunk_store import chunks_folder, load_chunk
from keycraft.services.jobs.chunked import PARTS_PER_CHUNK
from keycraft.services.jobs.chunks import ChunkPolicy, ChunkSpan, plan_chunks
from keycraft.services.jobs.model import CANCELLED, DONE, QUEUED
from keycraft.services.jobs.runner import JobContext, run_job
from keycraft.services.jobs.submit import cancel_job, new_project_for_recording, submit_job
from keycraft.services.repository.port import Repository
from keycraft.services.storage.local import LocalStorage
from keycraft.services.storage.media_links import MediaLinkSigner
from keycraft.services.transcription.client import (
    ProgressCallback,
    TranscribedNote,
    TranscriberClient,
    TranscriberUnavailable,
    Transcription,
    TranscriptionOptions,
    TranscriptionProgress,
)
from keycraft.services.transcription.recordings import recording_key
from tests.support.factories import make_user, new_id
from tests.support.recordings import tone_wav

DURATION_S = 30.0
POLICY = ChunkPolicy(max_chunk_s=13.0, overlap_s=4.0, parallel=2)
SPANS = plan_chunks(DURATION_S, POLICY)
# A note every 0.4 s, and one held from before the first overlap to after it.
TRUTH = [TranscribedNote(0.2 + 0.4 * i, 0.5 + 0.4 * i, 50 + i % 20, 80) for i in range(74)]
HELD = TranscribedNote(7.1, 15.0, 30, 90)


@dataclass
class ChunkTranscriber:
    """Answers each chunk request with the true notes sounding in its span, in its time."""

    fail_once: set[int] = field(default_factory=set)
    hold_s: float = 0.0
    requested: list[int] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    cancelled: int = 0

    async def transcribe_streaming(
        self,
        audio: bytes,
        filename: str,
        _content_type: str,
        _options: TranscriptionOptions,
        on_progress: ProgressCallback,
    ) -> Transcription:
        index = int(filename.rsplit(".", 1)[0].rsplit("-", 1)[1]) - 1
        span = SPANS[index]
        info = soundfile.info(io.BytesIO(audio))
        assert abs(info.duration - span.duration_s) < 0.01  # the chunk's audio, no more
        self.requested.append(index)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await on_progress(TranscriptionProgress(0, 2, span.duration_s, ()))
            await asyncio.sleep(self.hold_s + 0.05)
            await on_progress(TranscriptionProgress(1, 2, span.duration_s, ()))
            if index in self.fail_once:
                self.fail_once.discard(index)
                raise TranscriberUnavailable("503")
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1
        heard = tuple(
            TranscribedNote(
                max(n.start_s, span.start_s) - span.start_s,
                min(n.end_s, span.end_s) - span.start_s,
                n.pitch_midi,
                n.velocity,
            )
            for n in (*TRUTH, HELD)
            if n.end_s > span.start_s and n.start_s < span.end_s
        )
        await on_progress(TranscriptionProgress(2, 2, span.duration_s, heard))
        return Transcription("basic-pitch", span.duration_s, 0.1, heard)


@dataclass
class ListQueue:
    sent: list[tuple[str, str, float]] = field(default_factory=list)

    def enqueue(self, user_id: str, job_id: str, delay_s: float = 0.0) -> None:
        self.sent.append((user_id, job_id, delay_s))


def _setup(
    repo: Repository, tmp_path: Path, transcriber: ChunkTranscriber
) -> tuple[JobContext, ListQueue, str, str, str]:
    queue = ListQueue()
    storage = LocalStorage(tmp_path / "media", MediaLinkSigner(b"k"), "http://app.test")
    ctx = JobContext(
        repository=repo,
        storage=storage,
        transcriber=cast(TranscriberClient, transcriber),
        queue=queue,
        lease_s=30.0,
        chunks=POLICY,
    )
    user = repo.create_user(make_user("c@example.com"))
    project_id = new_id()
    key = recording_key(user.id, project_id, ".wav")
    storage.put(key, tone_wav(DURATION_S), "audio/wav")
    now = utc_now()
    new_project_for_recording(repo, user.id, project_id, "Long take", key, now)
    job = submit_job(
        repo,
        queue,
        user_id=user.id,
        project_id=project_id,
        recording_key=key,
        filename="long.wav",
        title="Long take",
        into_existing=False,
        options=TranscriptionOptions(model="basic-pitch"),
        now=now,
        max_active=3,
        plans=PlanCatalog(),
        duration_s=DURATION_S,
    )
    return ctx, queue, user.id, job.id, project_id


def _kept(ctx: JobContext, job_id: str) -> list[int]:
    return [s.index for s in SPANS if load_chunk(ctx.storage, job_id, s) is not None]


def test_a_long_recording_is_sent_in_parallel_chunks_and_fills_one_project_once(
    repo: Repository, tmp_path: Path
) -> None:
    assert len(SPANS) == 3
    transcriber = ChunkTranscriber()
    ctx, _, user_id, job_id, project_id = _setup(repo, tmp_path, transcriber)
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    assert sorted(transcriber.requested) == [0, 1, 2]
    assert transcriber.most_in_flight == POLICY.parallel
    project = repo.get_project(user_id, project_id)
    assert project is not None and len(project.notes) == len(TRUTH) + 1
    assert [n.pitch_midi for n in project.notes].count(HELD.pitch_midi) == 1
    assert [p.id for p in repo.list_projects(user_id)] == [project_id]
    job = repo.get_transcription_job(user_id, job_id)
    assert job is not None and job.status == DONE and job.note_count == len(TRUTH) + 1
    assert (job.progress_done, job.progress_total) == (3 * PARTS_PER_CHUNK, 3 * PARTS_PER_CHUNK)
    assert not any(ctx.storage.list_objects(chunks_folder(job_id)))


def test_a_failing_chunk_is_retried_alone_and_the_others_are_kept(
    repo: Repository, tmp_path: Path
) -> None:
    transcriber = ChunkTranscriber(fail_once={1})
    ctx, queue, user_id, job_id, project_id = _setup(repo, tmp_path, transcriber)
    queue.sent.clear()
    assert asyncio.run(run_job(ctx, user_id, job_id)) is None  # handed back for a retry
    job = repo.get_transcription_job(user_id, job_id)
    assert job is not None and job.status == QUEUED
    assert queue.sent and queue.sent[0][2] > 0
    assert _kept(ctx, job_id) == [0, 2]  # a restarted worker finds these too
    transcriber.requested.clear()
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    assert transcriber.requested == [1]
    project = repo.get_project(user_id, project_id)
    assert project is not None and len(project.notes) == len(TRUTH) + 1


def test_cancelling_a_chunked_job_cancels_every_chunk_request(
    repo: Repository, tmp_path: Path
) -> None:
    transcriber = ChunkTranscriber(hold_s=30.0)
    ctx, _, user_id, job_id, project_id = _setup(repo, tmp_path, transcriber)

    async def scenario() -> None:
        running = asyncio.create_task(run_job(ctx, user_id, job_id))
        while transcriber.in_flight < POLICY.parallel:
            await asyncio.sleep(0.05)
        assert cancel_job(repo, ctx.storage, user_id, job_id, utc_now())
        await asyncio.wait_for(running, timeout=10.0)

    asyncio.run(scenario())
    assert transcriber.cancelled == POLICY.parallel and transcriber.in_flight == 0
    assert sorted(transcriber.requested) == [0, 1]  # the third never started
    job = repo.get_transcription_job(user_id, job_id)
    assert job is not None and job.status == CANCELLED
    assert repo.get_project(user_id, project_id) is None
    assert not any(ctx.storage.list_objects(chunks_folder(job_id)))


def test_a_chunk_kept_under_another_plan_is_not_reused(repo: Repository, tmp_path: Path) -> None:
    transcriber = ChunkTranscriber(fail_once={2})
    ctx, _, user_id, job_id, _ = _setup(repo, tmp_path, transcriber)
    assert asyncio.run(run_job(ctx, user_id, job_id)) is None
    moved = ChunkSpan(0, SPANS[0].start_s, SPANS[0].end_s + 1.0)
    assert load_chunk(ctx.storage, job_id, SPANS[0]) is not None
    assert load_chunk(ctx.storage, job_id, moved) is None
