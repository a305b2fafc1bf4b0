"""What a job shows while it runs: its time left and the notes found so far."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from keycraft.services.domain import Note
from keycraft.services.jobs.estimate import remaining_s
from keycraft.services.jobs.model import DONE, RUNNING, TranscriptionJob
from keycraft.services.jobs.preview import read_preview
from keycraft.services.repository.port import Repository
from keycraft.services.storage.port import Storage
from keycraft.services.transcription.recordings import notes_from_transcription


@dataclass(frozen=True, slots=True)
class LiveProgress:
    """A job's estimate and partial notes.

    Attributes:
        estimate_s: Seconds the transcription still needs; None while nothing is known
            (queued, or running before the transcriber named the recording's length).
        notes: The notes found so far on the project's tick grid (a running job only).
    """

    estimate_s: float | None
    notes: tuple[Note, ...] = ()


def live_progress(
    repo: Repository, storage: Storage, job: TranscriptionJob, now: datetime
) -> LiveProgress:
    """The running job's estimate and notes so far, read from its preview."""
    if job.status == DONE:
        return LiveProgress(estimate_s=0.0)
    if job.status != RUNNING:
        return LiveProgress(estimate_s=None)
    preview = read_preview(storage, job.id)
    if preview is None:
        return LiveProgress(estimate_s=None)
    model = str(job.options.get("model", ""))
    running_s = now.timestamp() - preview.started_epoch_s
    estimate = remaining_s(model, preview.duration_s, preview.done, preview.total, running_s)
    if not preview.notes:
        return LiveProgress(estimate_s=estimate)
    project = repo.get_project(job.user_id, job.project_id)
    if project is None:
        return LiveProgress(estimate_s=estimate)
    placed = notes_from_transcription(
        preview.notes, project.tempo_bpm, tempo_changes=project.tempo_changes
    )
    return LiveProgress(estimate_s=estimate, notes=tuple(placed))
