"""Re-transcribing chosen bars as a job: the slice sent, the bars swapped, the rest kept."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

import numpy as np
import pytest
import soundfile

from keycraft.services import projects
from keycraft.services.billing.plans import PlanCatalog
from keycraft.services.clock import utc_now
from keycraft.services.domain import (
    BeatTrack,
    Note,
    PedalSpan,
    TempoChange,
    TimeSignature,
    TrackedBeat,
)
from keycraft.services.errors import NotFound
from keycraft.services.jobs.errors import PAST_THE_END
from keycraft.services.jobs.model import DONE, FAILED
from keycraft.services.jobs.ranges import bar_range, range_of
from keycraft.services.jobs.runner import JobContext, run_job
from keycraft.services.jobs.submit import submit_retranscription, view_job
from keycraft.services.notes.beat_map import timing_for
from keycraft.services.repository.port import Repository
from keycraft.services.storage.local import LocalStorage
from keycraft.services.storage.media_links import MediaLinkSigner
from keycraft.services.transcription.client import (
    ProgressCallback,
    TranscribedNote,
    TranscribedPedal,
    TranscriberClient,
    Transcription,
    TranscriptionOptions,
    TranscriptionProgress,
)
from keycraft.services.transcription.recordings import recording_key
from keycraft.state.job_messages import job_status_text
from tests.support.factories import make_project, make_user

RATE_HZ = 8000
RECORDING_S = 8.0
"""Four bars of 4/4 at 120 BPM: bar 2 is 2–4 s of the recording."""


@dataclass
class SlicedTranscriber:
    """Hears the slice it is sent and answers with notes at fixed times inside it."""

    heard_s: list[float] = field(default_factory=list)
    pedals: tuple[TranscribedPedal, ...] = ()
    """Sustain-pedal spans heard, in slice time."""
    onsets_s: tuple[float, ...] = (0.2, 0.5, 1.0, 1.5)
    """The notes heard, in slice time."""

    async def transcribe_streaming(
        self,
        audio: bytes,
        filename: str,
        content_type: str,
        options: TranscriptionOptions,
        on_progress: ProgressCallback,
    ) -> Transcription:
        info = soundfile.info(io.BytesIO(audio))
        seconds = info.frames / info.samplerate
        self.heard_s.append(seconds)
        # In slice time: bar 2 starts 0.5 s in (the padding); the first note is in the padding.
        notes = tuple(
            TranscribedNote(start_s=t, end_s=t + 0.25, pitch_midi=72, velocity=90)
            for t in self.onsets_s
        )
        await on_progress(
            TranscriptionProgress(done=1, total=1, duration_s=seconds, new_notes=notes)
        )
        return Transcription("transkun", seconds, 0.01, notes, self.pedals)


class _Queue:
    def enqueue(self, user_id: str, job_id: str, delay_s: float = 0.0) -> None:
        """The test runs jobs itself."""


def _wav(seconds: float) -> bytes:
    out = io.BytesIO()
    samples = np.zeros(int(seconds * RATE_HZ), dtype=np.float32)
    soundfile.write(out, samples, RATE_HZ, format="WAV")
    return out.getvalue()


def _setup(
    repo: Repository, tmp_path: Path, transcriber: SlicedTranscriber
) -> tuple[JobContext, str, str]:
    user = repo.create_user(make_user("bars@example.com"))
    project = make_project(user, notes=0)
    key = recording_key(user.id, project.id, ".wav")
    # One note at the start of each bar; bar 2's will be replaced.
    notes = tuple(Note(i * 1920, 480, 60, 64) for i in range(4))
    repo.create_project(replace(project, notes=notes, source_audio_key=key))
    storage = LocalStorage(tmp_path / "media", MediaLinkSigner(b"k"), "http://app.test")
    storage.put(key, _wav(RECORDING_S), "audio/wav")
    ctx = JobContext(
        repository=repo,
        storage=storage,
        transcriber=cast(TranscriberClient, transcriber),
        queue=_Queue(),
        lease_s=30.0,
    )
    return ctx, user.id, project.id


def _submit(ctx: JobContext, user_id: str, project_id: str, first: int, end: int) -> str:
    job = submit_retranscription(
        ctx.repository,
        ctx.queue,
        user_id=user_id,
        project_id=project_id,
        first_bar=first,
        end_bar=end,
        options=TranscriptionOptions(model="basic-pitch"),
        now=utc_now(),
        max_active=3,
        plans=PlanCatalog(),
    )
    return job.id


def test_bar_range_follows_the_metre_and_the_tempo_map() -> None:
    user = make_user("map@example.com")
    project = replace(
        make_project(user),
        tempo_bpm=120.0,
        time_signature=TimeSignature(3, 4),
        tempo_changes=(TempoChange(1440, 60.0),),
    )
    bars = bar_range(project, 2, 4)
    # 3/4: bar 2 starts at tick 1440, bar 4 at 4320. 1440 ticks at 120 BPM is 1.5 s; then
    # 2880 ticks at 60 BPM is 6 s.
    assert (bars.first_bar, bars.last_bar) == (2, 3)
    assert (bars.start_tick, bars.end_tick) == (1440, 4320)
    assert bars.start_s == pytest.approx(1.5)
    assert bars.end_s == pytest.approx(7.5)
    # A range given backwards still covers one bar.
    assert (bar_range(project, 3, 1).first_bar, bar_range(project, 3, 1).last_bar) == (3, 3)


def test_bars_of_a_transcription_count_from_its_first_downbeat() -> None:
    # Beats every half second from 0.5 s, bar 1 on the second one, in 3/4.
    beats = tuple(TrackedBeat(0.5 + 0.5 * i, (i - 1) % 3 == 0) for i in range(24))
    track = BeatTrack(beats, TimeSignature(3, 4), 1, follow=True)
    project = make_project(make_user("heard@example.com")).with_timing(timing_for(track))
    bars = bar_range(project, 1, 3)
    assert (bars.first_bar, bars.last_bar) == (1, 2)
    assert bars.start_s == pytest.approx(1.0, abs=1e-3)  # the first downbeat
    assert bars.end_s == pytest.approx(4.0, abs=1e-3)  # six beats later
    # Bar 0 is the silence and the pickup before it; nothing comes before bar 0.
    assert bar_range(project, -3, 1).start_s == 0.0


def test_a_bar_job_swaps_only_those_bars_and_sends_only_their_audio(
    repo: Repository, tmp_path: Path
) -> None:
    transcriber = SlicedTranscriber()
    ctx, user_id, project_id = _setup(repo, tmp_path, transcriber)
    job_id = _submit(ctx, user_id, project_id, 2, 3)
    stored = repo.get_transcription_job(user_id, job_id)
    assert stored is not None and stored.into_existing
    # The bars' two seconds count against the month's minutes, not the whole recording.
    assert stored.reserved_s == 2
    assert range_of(stored) == bar_range(repo.get_project(user_id, project_id), 2, 3)  # type: ignore[arg-type]

    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    # Bar 2 (2–4 s) with half a second either side.
    assert transcriber.heard_s == [pytest.approx(3.0)]
    project = repo.get_project(user_id, project_id)
    assert project is not None
    starts = sorted((n.start_tick, n.pitch_midi) for n in project.notes)
    # Bars 1, 3, 4 keep their notes; bar 2 has the three notes heard inside it (at 2.0, 2.5
    # and 3.0 s), not the one in the padding (1.7 s) nor its old note.
    assert starts == [(0, 60), (1920, 72), (2400, 72), (2880, 72), (3840, 60), (5760, 60)]
    # The recording stays the project's.
    assert project.source_audio_key is not None and ctx.storage.get(project.source_audio_key)
    ended = repo.get_transcription_job(user_id, job_id)
    assert ended is not None and (ended.status, ended.note_count) == (DONE, 3)
    assert job_status_text(view_job(repo, ended, utc_now())) == "Replaced bars 2–2: 3 notes."
    # A duplicate delivery changes nothing.
    assert asyncio.run(run_job(ctx, user_id, job_id)) is None
    assert repo.get_project(user_id, project_id) == project


def test_a_downbeat_heard_a_little_early_stays_in_its_bar_on_both_edges(
    repo: Repository, tmp_path: Path
) -> None:
    # In slice time bar 2 is 0.5-2.5 s: its first note is heard 20 ms before its line, and
    # bar 3's first note 20 ms before bar 3's.
    transcriber = SlicedTranscriber(onsets_s=(0.48, 1.0, 2.48))
    ctx, user_id, project_id = _setup(repo, tmp_path, transcriber)
    job_id = _submit(ctx, user_id, project_id, 2, 3)
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    project = repo.get_project(user_id, project_id)
    assert project is not None
    starts = sorted((n.start_tick, n.pitch_midi) for n in project.notes)
    # Bar 2's first note is the one heard early (at 1.98 s), not lost; bar 3 keeps its own.
    assert starts == [(0, 60), (1901, 72), (2400, 72), (3840, 60), (5760, 60)]


def test_a_bar_job_swaps_the_pedal_inside_the_bars_and_cuts_spans_at_their_edges(
    repo: Repository, tmp_path: Path
) -> None:
    # In slice time (bar 2 starts 0.5 s in): 1.6-2.3 s and 2.7-4.3 s of the recording.
    heard = (TranscribedPedal(0.1, 0.8), TranscribedPedal(1.2, 2.8))
    transcriber = SlicedTranscriber(pedals=heard)
    ctx, user_id, project_id = _setup(repo, tmp_path, transcriber)
    before = projects.open_project(repo, user_id, project_id)
    learner_pedal = (PedalSpan(0, 2400), PedalSpan(3000, 3500), PedalSpan(3600, 4200))
    projects.save_content(repo, before, before.notes, utc_now(), pedals=learner_pedal)
    job_id = _submit(ctx, user_id, project_id, 2, 3)
    assert asyncio.run(run_job(ctx, user_id, job_id)) == DONE
    project = repo.get_project(user_id, project_id)
    assert project is not None
    # Bar 2 is ticks 1920-3840 (960 a second): the learner's pedal outside it stays, cut at
    # its edges; inside, the heard pedal, cut to the bar.
    assert project.pedals == (
        PedalSpan(0, 1920),
        PedalSpan(1920, 2208),
        PedalSpan(2592, 3840),
        PedalSpan(3840, 4200),
    )


def test_bars_past_the_recording_end_the_job_and_keep_project_and_recording(
    repo: Repository, tmp_path: Path
) -> None:
    transcriber = SlicedTranscriber()
    ctx, user_id, project_id = _setup(repo, tmp_path, transcriber)
    before = repo.get_project(user_id, project_id)
    job_id = _submit(ctx, user_id, project_id, 9, 10)  # 16–18 s of an 8 s recording
    assert asyncio.run(run_job(ctx, user_id, job_id)) == FAILED
    assert transcriber.heard_s == []
    ended = repo.get_transcription_job(user_id, job_id)
    assert ended is not None and ended.error == PAST_THE_END
    assert job_status_text(view_job(repo, ended, utc_now())) == (
        "Those bars are past the end of the recording."
    )
    after = repo.get_project(user_id, project_id)
    assert after == before
    assert after is not None and after.source_audio_key is not None
    assert ctx.storage.get(after.source_audio_key)


def test_a_project_without_a_recording_cannot_be_retranscribed(
    repo: Repository, tmp_path: Path
) -> None:
    ctx, user_id, project_id = _setup(repo, tmp_path, SlicedTranscriber())
    project = repo.get_project(user_id, project_id)
    assert project is not None
    repo.save_project(replace(project, source_audio_key=None), project.version)
    with pytest.raises(NotFound):
        _submit(ctx, user_id, project_id, 1, 2)
    assert repo.list_user_transcription_jobs(user_id) == []
