"""The job runner against a scripted transcriber: one project, retries, failures, cancel."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import mido
import pytest

from keycraft.services.billing.plans import PlanCatalog
from keycraft.services.clock import utc_now
from keycraft.services.domain import PedalSpan, Project, TimeSignature, TimeSignatureChange
from keycraft.services.downloads import build_project_midi
from keycraft.services.jobs import watch
from keycraft.services.jobs.errors import TooManyJobs
from keycraft.services.jobs.model import CANCELLED, DONE, FAILED, QUEUED
from keycraft.services.jobs.preview import read_preview
from keycraft.services.jobs.runner import JobContext, recover_jobs, run_job
from keycraft.services.jobs.submit import (
    cancel_job,
    job_that_removed,
    new_project_for_recording,
    submit_job,
)
from keycraft.services.repository.port import Repository
from keycraft.services.storage.local import LocalStorage
from keycraft.services.storage.media_links import MediaLinkSigner
from keycraft.services.transcription.client import (
    AudioRejected,
    ProgressCallback,
    TranscribedBeat,
    TranscribedNote,
    TranscribedPedal,
    TranscriberBusy,
    TranscriberClient,
    TranscriberUnavailable,
    Transcription,
    TranscriptionOptions,
    TranscriptionProgress,
)
from keycraft.services.transcription.recordings import recording_key
from tests.support.factories import make_user, new_id

NOTE = TranscribedNote(start_s=0.5, end_s=1.0, pitch_midi=60, velocity=80)


@dataclass
class ScriptedTranscriber:
    """Answers each call with the next scripted outcome (an exception is raised)."""

    outcomes: list[Any]
    calls: int = 0
    hold_s: float = 0.0
    cancelled: bool = False
    parts: list[TranscriptionProgress] = field(default_factory=list)
    """Streamed before the outcome when called with a progress callback."""
    between_parts: Callable[[], None] | None = None
    """Called after each part was handed over (to look at what the runner made of it)."""

    async def transcribe_streaming(
        self, *args: object, on_progress: ProgressCallback | None = None
    ) -> Transcription:
        callback = on_progress or cast(ProgressCallback, args[-1])
        for part in self.parts:
            await callback(part)
            if self.between_parts is not None:
                self.between_parts()
        return await self.transcribe(*args)

    async def transcribe(self, *_args: object) -> Transcription:
        self.calls += 1
        outcome = self.outcomes.pop(0)
        try:
            await asyncio.sleep(self.hold_s)
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        if isinstance(outcome, BaseException):
            raise outcome
        return cast(Transcription, outcome)


@dataclass
class ListQueue:
    """Remembers what was enqueued."""

    sent: list[tuple[str, str, float]] = field(default_factory=list)

    def enqueue(self, user_id: str, job_id: str, delay_s: float = 0.0) -> None:
        self.sent.append((user_id, job_id, delay_s))


def _context(
    repo: Repository, tmp_path: Path, transcriber: ScriptedTranscriber
) -> tuple[JobContext, ListQueue]:
    queue = ListQueue()
    storage = LocalStorage(tmp_path / "media", MediaLinkSigner(b"k"), "http://app.test")
    ctx = JobContext(
        repository=repo,
        storage=storage,
        transcriber=cast(TranscriberClient, transcriber),
        queue=queue,
        lease_s=30.0,
    )
    return ctx, queue


def _submit(ctx: JobContext, max_active: int = 3) -> tuple[str, str, str]:
    user = ctx.repository.get_user_by_email("p@example.com") or ctx.repository.create_user(
        make_user("p@example.com")
    )
    project_id = new_id()
    key = recording_key(user.id, project_id, ".wav")
    ctx.storage.put(key, b"RIFF....WAVE", "audio/wav")
    now = utc_now()
    new_project_for_recording(ctx.repository, user.id, project_id, "Take", key, now)
    job = submit_job(
        ctx.repository,
        ctx.queue,
        user_id=user.id,
        project_id=project_id,
        recording_key=key,
        filename="take.wav",
        title="Take",
        into_existing=False,
        options=TranscriptionOptions(model="basic-pitch"),
        now=now,
        max_active=max_active,
        plans=PlanCatalog(),
        duration_s=2.0,
    )
    return user.id, job.id, project_id


def _transcribe_again(ctx: JobContext, project: Project) -> None:
    """Transcribe the project's recording into it once more, by the fast model, to the end."""
    again = submit_job(
        ctx.repository,
        ctx.queue,
        user_id=project.user_id,
        project_id=project.id,
        recording_key=project.source_audio_key or "",
        filename="again.wav",
        title="Take",
        into_existing=True,
        options=TranscriptionOptions(model="basic-pitch"),
        now=utc_now(),
        max_active=3,
        plans=PlanCatalog(),
        duration_s=2.0,
    )
    assert asyncio.run(run_job(ctx, project.user_id, again.id)) == DONE


def _result(notes: int) -> Transcription:
    return Transcription("basic-pitch", 2.0, 0.1, (NOTE,) * notes)


def test_a_job_fills_its_project_once_even_when_delivered_twice(
    repo: Repository, tmp_path: Path
) -> None:
    ctx, queue = _context(repo, tmp_path, ScriptedTranscriber([_result(3), _result(3)]))
    user_id, job_id, project_id = _submit(ctx)
    assert queue.sent == [(user_id, job_id, 0.0)]
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    assert asyncio.run(run_job(ctx, user_id, job_id)) is None  # a duplicate message
    project = repo.get_project(user_id, project_id)
    assert project is not None and len(project.notes) == 3
    assert [p.id for p in repo.list_projects(user_id)] == [project_id]
    job = repo.get_transcription_job(user_id, job_id)
    assert job is not None and (job.status, job.note_count, job.attempts) == (DONE, 3, 1)


def _cc64(midi_bytes: bytes) -> list[tuple[int, int]]:
    """(absolute tick, value) of each controller-64 change in a MIDI file."""
    found = []
    for track in mido.MidiFile(file=io.BytesIO(midi_bytes)).tracks:
        tick = 0
        for message in track:
            tick += message.time
            if message.type == "control_change" and message.control == 64:
                found.append((tick, message.value))
    return sorted(found)


def test_the_piano_models_pedal_fills_the_project_and_reaches_its_midi(
    repo: Repository, tmp_path: Path
) -> None:
    heard = Transcription(
        "transkun",
        4.0,
        0.1,
        (NOTE,),
        pedals=(TranscribedPedal(0.45, 1.5), TranscribedPedal(1.6, 3.0)),
    )
    ctx, _ = _context(repo, tmp_path, ScriptedTranscriber([heard]))
    user_id, job_id, project_id = _submit(ctx)
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    project = repo.get_project(user_id, project_id)
    assert project is not None and project.tempo_bpm == 120.0
    # 120 BPM at 480 ticks a beat: 960 ticks a second, as the notes are placed.
    assert project.pedals == (PedalSpan(432, 1440), PedalSpan(1536, 2880))
    assert project.notes[0].start_tick == 480
    exported = build_project_midi(repo, user_id, project_id).data
    assert _cc64(exported) == [(432, 127), (1440, 0), (1536, 127), (2880, 0)]


def test_an_upload_into_a_project_replaces_its_pedal_even_with_none(
    repo: Repository, tmp_path: Path
) -> None:
    pedalled = Transcription("transkun", 2.0, 0.1, (NOTE,), pedals=(TranscribedPedal(0.5, 1.5),))
    transcriber = ScriptedTranscriber([pedalled, _result(2)])
    ctx, _ = _context(repo, tmp_path, transcriber)
    user_id, job_id, project_id = _submit(ctx)
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    project = repo.get_project(user_id, project_id)
    assert project is not None and project.pedals == (PedalSpan(480, 1440),)
    # A second recording into the same project, by the fast model, which hears no pedal.
    _transcribe_again(ctx, project)
    project = repo.get_project(user_id, project_id)
    assert project is not None and (len(project.notes), project.pedals) == (2, ())


def test_a_busy_transcriber_puts_the_job_back_with_its_retry_after(
    repo: Repository, tmp_path: Path
) -> None:
    transcriber = ScriptedTranscriber([TranscriberBusy(7), TranscriberUnavailable("HTTP 503")])
    ctx, queue = _context(repo, tmp_path, transcriber)
    user_id, job_id, _ = _submit(ctx)
    assert asyncio.run(run_job(ctx, user_id, job_id)) is None
    assert asyncio.run(run_job(ctx, user_id, job_id)) is None
    job = repo.get_transcription_job(user_id, job_id)
    assert job is not None and (job.status, job.error) == (QUEUED, "")
    assert [d for *_, d in queue.sent] == [0.0, 7.0, 2.0]


def test_refused_audio_ends_the_job_and_removes_its_project_and_media(
    repo: Repository, tmp_path: Path
) -> None:
    ctx, _ = _context(repo, tmp_path, ScriptedTranscriber([AudioRejected("too_long")]))
    user_id, job_id, project_id = _submit(ctx)
    assert asyncio.run(run_job(ctx, user_id, job_id)) == FAILED
    job = repo.get_transcription_job(user_id, job_id)
    assert job is not None and job.error == "too_long"
    assert repo.get_project(user_id, project_id) is None
    assert not any((tmp_path / "media").rglob("source.wav"))
    # A learner sent to the removed project is told why it is gone.
    gone_by = job_that_removed(repo, user_id, project_id)
    assert gone_by is not None and gone_by.id == job_id


def test_only_a_job_that_ended_empty_explains_a_missing_project(
    repo: Repository, tmp_path: Path
) -> None:
    ctx, _ = _context(repo, tmp_path, ScriptedTranscriber([_result(2)]))
    user_id, job_id, project_id = _submit(ctx)
    assert job_that_removed(repo, user_id, project_id) is None  # queued
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    repo.delete_project(user_id, project_id)  # the learner deleted it later
    assert job_that_removed(repo, user_id, project_id) is None
    assert job_that_removed(repo, user_id, new_id()) is None


def test_cancel_stops_the_running_transcription_within_seconds(
    repo: Repository, tmp_path: Path
) -> None:
    transcriber = ScriptedTranscriber([_result(1)], hold_s=30.0)
    ctx, _ = _context(repo, tmp_path, transcriber)
    user_id, job_id, project_id = _submit(ctx)

    async def scenario() -> float:
        running = asyncio.create_task(run_job(ctx, user_id, job_id))
        await asyncio.sleep(0.3)
        started = asyncio.get_running_loop().time()
        assert cancel_job(repo, ctx.storage, user_id, job_id, utc_now())
        await running
        return asyncio.get_running_loop().time() - started

    assert asyncio.run(scenario()) < watch.WATCH_INTERVAL_S * 3
    assert transcriber.cancelled
    job = repo.get_transcription_job(user_id, job_id)
    assert job is not None and job.status == CANCELLED
    assert repo.get_project(user_id, project_id) is None
    assert not any((tmp_path / "media").rglob("source.wav"))
    assert job_that_removed(repo, user_id, project_id) == job


def test_the_per_user_limit_refuses_jobs_before_the_transcriber(
    repo: Repository, tmp_path: Path
) -> None:
    ctx, queue = _context(repo, tmp_path, ScriptedTranscriber([]))
    _submit(ctx, max_active=1)
    with pytest.raises(TooManyJobs):
        _submit(ctx, max_active=1)
    assert len(queue.sent) == 1


def test_recovery_resends_queued_jobs_and_ones_whose_worker_died(
    repo: Repository, tmp_path: Path
) -> None:
    ctx, queue = _context(repo, tmp_path, ScriptedTranscriber([_result(2)]))
    user_id, job_id, project_id = _submit(ctx)
    # A worker claimed it and died: nothing re-sends it while its lease runs.
    past = utc_now() - timedelta(seconds=120)
    repo.claim_transcription_job(user_id, job_id, "dead", past, past + timedelta(seconds=30))
    queue.sent.clear()
    assert recover_jobs(ctx, everything=False) == 1
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    project = repo.get_project(user_id, project_id)
    assert project is not None and len(project.notes) == 2


def test_an_ended_job_is_handed_to_the_finished_hook(repo: Repository, tmp_path: Path) -> None:
    ctx, _ = _context(repo, tmp_path, ScriptedTranscriber([_result(2), AudioRejected("too_long")]))
    ended: list[tuple[str, str, int]] = []
    ctx = replace(ctx, on_finished=lambda job: ended.append((job.id, job.status, job.note_count)))
    user_id, done_id, _ = _submit(ctx)
    _, failed_id, _ = _submit(ctx)
    assert asyncio.run(run_job(ctx, user_id, done_id)) == DONE
    assert asyncio.run(run_job(ctx, user_id, failed_id)) == FAILED
    assert ended == [(done_id, DONE, 2), (failed_id, FAILED, 0)]


def test_a_failing_finished_hook_does_not_change_the_outcome(
    repo: Repository, tmp_path: Path
) -> None:
    ctx, _ = _context(repo, tmp_path, ScriptedTranscriber([_result(1)]))

    def broken(_job: object) -> None:
        raise RuntimeError("mail server on fire")

    ctx = replace(ctx, on_finished=broken)
    user_id, job_id, _ = _submit(ctx)
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    job = repo.get_transcription_job(user_id, job_id)
    assert job is not None and job.status == DONE


def test_streamed_parts_become_progress_and_a_preview_that_goes_when_done(
    repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch, "PROGRESS_INTERVAL_S", 0.0)
    other = TranscribedNote(start_s=1.5, end_s=2.0, pitch_midi=64, velocity=70)
    parts = [
        TranscriptionProgress(0, 3, 24.0, ()),
        TranscriptionProgress(1, 3, 24.0, (NOTE,)),
        TranscriptionProgress(2, 3, 24.0, (other,)),
    ]
    transcriber = ScriptedTranscriber([_result(2)], parts=parts)
    ctx, _ = _context(repo, tmp_path, transcriber)
    user_id, job_id, project_id = _submit(ctx)
    seen: list[tuple[int, int, int, int]] = []

    def look() -> None:
        job = repo.get_transcription_job(user_id, job_id)
        preview = read_preview(ctx.storage, job_id)
        assert job is not None and preview is not None
        seen.append((job.progress_done, job.progress_total, job.percent, len(preview.notes)))
        assert preview.duration_s == 24.0

    transcriber.between_parts = look
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    assert seen == [(0, 3, 0, 0), (1, 3, 33, 1), (2, 3, 66, 2)]
    assert read_preview(ctx.storage, job_id) is None
    project = repo.get_project(user_id, project_id)
    assert project is not None and len(project.notes) == 2  # the final notes, not the preview


def test_parts_closer_than_the_interval_are_written_once(
    repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch, "PROGRESS_INTERVAL_S", 3600.0)
    parts = [TranscriptionProgress(k, 20, 24.0, (NOTE,)) for k in range(20)]
    transcriber = ScriptedTranscriber([_result(1)], parts=parts)
    ctx, _ = _context(repo, tmp_path, transcriber)
    user_id, job_id, _ = _submit(ctx)
    done: list[int] = []

    def look() -> None:
        job = repo.get_transcription_job(user_id, job_id)
        assert job is not None
        done.append(job.progress_done)

    transcriber.between_parts = look
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    assert done == [0] * 20  # the first part is written at once; the rest come too soon


def test_tracked_beats_set_the_tempo_and_metre_the_notes_are_placed_in(
    repo: Repository, tmp_path: Path
) -> None:
    # A 3/4 waltz at 100 BPM (0.6 s beats) with a one-beat pickup at 0.6 s.
    beats = tuple(TranscribedBeat(0.6 * (i + 1), i % 3 == 1) for i in range(30))
    on_bar_2 = TranscribedNote(start_s=1.2, end_s=1.8, pitch_midi=67, velocity=70)
    heard = Transcription(
        "transkun", 19.0, 0.1, (on_bar_2,), beats=beats, meter=TimeSignature(3, 4)
    )
    ctx, _ = _context(repo, tmp_path, ScriptedTranscriber([heard, _result(1)]))
    user_id, job_id, project_id = _submit(ctx)
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    project = repo.get_project(user_id, project_id)
    assert project is not None
    # Lead-in (one beat) and pickup (one beat) make a 2/4 first bar; 3/4 from the downbeat.
    assert project.time_signature == TimeSignature(2, 4)
    assert project.time_signature_changes == (TimeSignatureChange(960, 3, 4),)
    assert project.tempo_bpm == 100.0 and project.tempo_changes == ()
    assert (project.notes[0].start_tick, project.notes[0].duration_ticks) == (960, 480)
    assert len(project.beat_track.beats) == 30 and project.beat_track.first_downbeat_index == 1
    # A later recording without beats keeps the map but forgets the old recording's beats.
    _transcribe_again(ctx, project)
    project = repo.get_project(user_id, project_id)
    assert project is not None and project.beat_track.beats == ()
    assert project.time_signature_changes == (TimeSignatureChange(960, 3, 4),)
