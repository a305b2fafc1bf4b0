"""Start, follow and cancel transcription jobs: what the web app and the API call."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime

from keycraft.services import projects
from keycraft.services.billing.plans import PlanCatalog
from keycraft.services.domain import Project
from keycraft.services.errors import DomainError, NotFound
from keycraft.services.jobs.errors import MinutesSpent, TooManyJobs
from keycraft.services.jobs.minutes import minutes_status, reserved_seconds, window_end
from keycraft.services.jobs.model import CANCELLED, FAILED, QUEUED, RUNNING, TranscriptionJob
from keycraft.services.jobs.queue import JobQueue
from keycraft.services.jobs.ranges import BarRange, bar_range, range_option
from keycraft.services.jobs.runner import remove_media
from keycraft.services.repository.port import Repository
from keycraft.services.storage.port import Storage
from keycraft.services.transcription.audio_duration import recording_duration_s
from keycraft.services.transcription.client import (
    MODEL_KNOBS,
    TranscriberModel,
    TranscriptionOptions,
    options_for,
)
from keycraft.services.transcription.recordings import check_audio, forget_staged

DEFAULT_MODEL: TranscriberModel = "transkun"
"""The model a job uses when none is named: the accurate piano model, as in the editor."""


def new_project_for_recording(
    repo: Repository, user_id: str, project_id: str, title: str, recording_key: str, now: datetime
) -> Project:
    """An empty project holding the recording, for a job to fill: its card shows at once."""
    return projects.create_project(
        repo, user_id, title, now, source_audio_key=recording_key, project_id=project_id
    )


def measure_stored_recording(storage: Storage, key: str) -> float | None:
    """Seconds the stored recording plays (None when it cannot be decoded)."""
    return recording_duration_s(storage.get(key), key[key.rfind(".") :])


def check_minutes_left(
    repo: Repository, plans: PlanCatalog, user_id: str, duration_s: float | None, now: datetime
) -> None:
    """Refuse early (nothing stored or made yet) a recording longer than the minutes left.

    Only a courtesy: :func:`submit_job`'s atomic reservation is what enforces the allowance.

    Raises:
        MinutesSpent: the recording does not fit in what is left this month.
        NotFound: no such user.
    """
    status = minutes_status(repo, plans, user_id, now)
    if status is None:
        raise NotFound(user_id)
    needed_s = reserved_seconds(duration_s)
    if needed_s > status.left_s:
        raise MinutesSpent(status.used_s, status.allowance_s, needed_s)


def submit_job(
    repo: Repository,
    queue: JobQueue,
    *,
    user_id: str,
    project_id: str,
    recording_key: str,
    filename: str,
    title: str,
    into_existing: bool,
    options: TranscriptionOptions,
    now: datetime,
    max_active: int,
    plans: PlanCatalog,
    duration_s: float | None,
    bars: BarRange | None = None,
) -> TranscriptionJob:
    """Record a queued job for the project and hand it to the queue.

    With ``bars`` the job re-transcribes only those bars of the project's recording.

    ``into_existing`` says the project was the user's before (it is kept if the job fails);
    otherwise it was made empty for this job and goes with its media if the job fails.
    The recording's ``duration_s`` is reserved from the user's monthly transcription minutes
    (their plan's) in the same atomic write that records the job.

    Raises:
        TooManyJobs: the user already has ``max_active`` jobs queued or running.
        MinutesSpent: the recording does not fit in the minutes left this month.
        NotFound: no such user.
    """
    user = repo.get_user(user_id)
    if user is None:
        raise NotFound(user_id)
    job = TranscriptionJob(
        id=uuid.uuid4().hex,
        user_id=user_id,
        project_id=project_id,
        recording_key=recording_key,
        filename=filename,
        title=title,
        created_at=now,
        updated_at=now,
        into_existing=into_existing,
        options={
            **{k: v for k, v in asdict(options).items() if v is not None},
            **(range_option(bars) if bars is not None else {}),
        },
        reserved_s=reserved_seconds(duration_s),
        minutes_window_end=window_end(repo, user_id, now),
    )
    if not repo.create_transcription_job(job, max_active, plans.transcription_seconds(user)):
        raise TooManyJobs(user_id)
    queue.enqueue(user_id, job.id)
    return job


def submit_retranscription(
    repo: Repository,
    queue: JobQueue,
    *,
    user_id: str,
    project_id: str,
    first_bar: int,
    end_bar: int,
    options: TranscriptionOptions,
    now: datetime,
    max_active: int,
    plans: PlanCatalog,
) -> TranscriptionJob:
    """Queue a job that re-transcribes bars ``first_bar`` up to ``end_bar`` (exclusive).

    The job sends only those bars of the project's own recording and, when done, swaps the
    notes that start in them in the saved project; notes elsewhere stay as they are. The
    bars' length in the recording counts against the month's transcription minutes.

    Raises:
        NotFound: no such project of this user, or it has no recording.
        TooManyJobs: the user already has ``max_active`` jobs queued or running.
        MinutesSpent: the bars do not fit in the minutes left this month.
    """
    project = projects.open_project(repo, user_id, project_id)
    key = project.source_audio_key
    if not key:
        raise NotFound("recording")
    bars = bar_range(project, first_bar, end_bar)
    return submit_job(
        repo,
        queue,
        user_id=user_id,
        project_id=project_id,
        recording_key=key,
        filename=key.rsplit("/", 1)[-1],
        title=project.title,
        into_existing=True,
        options=options,
        now=now,
        max_active=max_active,
        plans=plans,
        duration_s=bars.end_s - bars.start_s,
        bars=bars,
    )


def submit_recording_into_project(
    repo: Repository,
    storage: Storage,
    queue: JobQueue,
    *,
    user_id: str,
    project_id: str,
    filename: str,
    audio: bytes,
    model: TranscriberModel,
    now: datetime,
    max_active: int,
    plans: PlanCatalog,
) -> TranscriptionJob:
    """Stage a recording and queue a job that fills the user's project with its notes.

    The model's default knobs and the project's tempo are used. The recording becomes the
    project's own when the job writes the notes; a refused job leaves nothing stored.

    Raises:
        NotFound: no such project of this user.
        UnsupportedAudioFile, AudioFileTooLarge, EmptyAudioFile: the upload is refused.
        TooManyJobs: the user already has ``max_active`` jobs queued or running.
        MinutesSpent: the recording does not fit in the minutes left this month.
        StorageUnavailable: the recording could not be stored.
    """
    project = projects.open_project(repo, user_id, project_id)
    checked = check_audio(user_id, filename, len(audio), staged=True)
    duration_s = recording_duration_s(audio, checked.suffix)
    check_minutes_left(repo, plans, user_id, duration_s, now)
    knobs = MODEL_KNOBS[model]
    options = options_for(
        model,
        knobs.onset_threshold,
        knobs.frame_threshold,
        float(knobs.min_note_ms),
        project.tempo_bpm,
    )
    storage.put(checked.storage_key, audio, checked.content_type)
    try:
        return submit_job(
            repo,
            queue,
            user_id=user_id,
            project_id=project_id,
            recording_key=checked.storage_key,
            filename=checked.filename,
            title=project.title,
            into_existing=True,
            options=options,
            now=now,
            max_active=max_active,
            plans=plans,
            duration_s=duration_s,
        )
    except DomainError:
        forget_staged(storage, checked.storage_key)
        raise


def cancel_job(
    repo: Repository, storage: Storage, user_id: str, job_id: str, now: datetime
) -> bool:
    """Cancel the user's job; False when it had already ended.

    A queued job's media goes now. A running job's worker sees the cancel within seconds,
    closes its connection to the transcriber (which stops) and removes the media itself.

    Raises:
        NotFound: no such job of this user.
    """
    before = repo.cancel_transcription_job(user_id, job_id, now)
    if before is None:
        if repo.get_transcription_job(user_id, job_id) is None:
            raise NotFound(job_id)
        return False
    if before.status == QUEUED:
        remove_media(storage, before)
        if not before.into_existing:
            project = repo.get_project(user_id, before.project_id)
            if project is not None and not project.notes:
                repo.delete_project(user_id, before.project_id)
    return True


@dataclass(frozen=True, slots=True)
class JobView:
    """A job as people see it: status, place in the queue, progress and time."""

    job: TranscriptionJob
    position: int
    """1 for the next job to start; 0 when it is not waiting."""
    elapsed_s: float


def view_job(repo: Repository, job: TranscriptionJob, now: datetime) -> JobView:
    """The job's live view (queue position counted now)."""
    position = repo.transcription_queue_position(job) + 1 if job.status == QUEUED else 0
    since = job.created_at
    until = job.finished_at or now
    return JobView(job=job, position=position, elapsed_s=max(0.0, (until - since).total_seconds()))


def latest_job_by_project(repo: Repository, user_id: str) -> dict[str, TranscriptionJob]:
    """The newest job of each of the user's projects."""
    latest: dict[str, TranscriptionJob] = {}
    for job in repo.list_user_transcription_jobs(user_id):  # newest first
        latest.setdefault(job.project_id, job)
    return latest


def job_that_removed(repo: Repository, user_id: str, project_id: str) -> TranscriptionJob | None:
    """The job that removed ``project_id``, if its newest job failed or was cancelled there.

    A job that made its own empty project removes it when it ends without notes, which can be
    before the learner sent there opens it; the job's end then says why it is gone.
    """
    for job in repo.list_user_transcription_jobs(user_id):  # newest first
        if job.project_id == project_id:
            ended_empty = job.status in (FAILED, CANCELLED) and not job.into_existing
            return job if ended_empty else None
    return None


def is_live(job: TranscriptionJob) -> bool:
    """Whether the job may still change (worth polling)."""
    return job.status in (QUEUED, RUNNING)
