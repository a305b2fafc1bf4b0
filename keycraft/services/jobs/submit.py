"""Start, follow and cancel transcription jobs: what the web app and the API call."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime

from keycraft.services import projects
from keycraft.services.domain import Project
from keycraft.services.errors import DomainError, NotFound
from keycraft.services.jobs.errors import TooManyJobs
from keycraft.services.jobs.model import QUEUED, RUNNING, TranscriptionJob
from keycraft.services.jobs.queue import JobQueue
from keycraft.services.jobs.ranges import BarRange, bar_range, range_option
from keycraft.services.jobs.runner import remove_media
from keycraft.services.repository.port import Repository
from keycraft.services.storage.port import Storage
from keycraft.services.transcriber_client import (
    MODEL_KNOBS,
    TranscriberModel,
    TranscriptionOptions,
    options_for,
)
from keycraft.services.transcription import check_audio, forget_staged

DEFAULT_MODEL: TranscriberModel = "transkun"
"""The model a job uses when none is named: the accurate piano model, as in the editor."""


def new_project_for_recording(
    repo: Repository, user_id: str, project_id: str, title: str, recording_key: str, now: datetime
) -> Project:
    """An empty project holding the recording, for a job to fill: its card shows at once."""
    return projects.create_project(
        repo, user_id, title, now, source_audio_key=recording_key, project_id=project_id
    )


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
    bars: BarRange | None = None,
) -> TranscriptionJob:
    """Record a queued job for the project and hand it to the queue.

    With ``bars`` the job re-transcribes only those bars of the project's recording.

    ``into_existing`` says the project was the user's before (it is kept if the job fails);
    otherwise it was made empty for this job and goes with its media if the job fails.

    Raises:
        TooManyJobs: the user already has ``max_active`` jobs queued or running.
    """
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
    )
    if not repo.create_transcription_job(job, max_active):
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
) -> TranscriptionJob:
    """Queue a job that re-transcribes bars ``first_bar`` up to ``end_bar`` (exclusive).

    The job sends only those bars of the project's own recording and, when done, swaps the
    notes that start in them in the saved project; notes elsewhere stay as they are.

    Raises:
        NotFound: no such project of this user, or it has no recording.
        TooManyJobs: the user already has ``max_active`` jobs queued or running.
    """
    project = projects.open_project(repo, user_id, project_id)
    key = project.source_audio_key
    if not key:
        raise NotFound("recording")
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
        bars=bar_range(project, first_bar, end_bar),
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
) -> TranscriptionJob:
    """Stage a recording and queue a job that fills the user's project with its notes.

    The model's default knobs and the project's tempo are used. The recording becomes the
    project's own when the job writes the notes; a refused job leaves nothing stored.

    Raises:
        NotFound: no such project of this user.
        UnsupportedAudioFile, AudioFileTooLarge, EmptyAudioFile: the upload is refused.
        TooManyJobs: the user already has ``max_active`` jobs queued or running.
        StorageUnavailable: the recording could not be stored.
    """
    project = projects.open_project(repo, user_id, project_id)
    checked = check_audio(user_id, filename, len(audio), staged=True)
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


def is_live(job: TranscriptionJob) -> bool:
    """Whether the job may still change (worth polling)."""
    return job.status in (QUEUED, RUNNING)
