"""A running job's partial notes: a small JSON object in Storage, replaced as parts finish.

The worker writes it while the transcriber streams parts, and removes it when the job ends;
the app reads it to show the notes found so far. It lives in the temporary prefix, in a
folder of its own per job, which the orphan sweep keeps while the job is active.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from keycraft.services.errors import DomainError
from keycraft.services.storage.keys import TEMP_PREFIX
from keycraft.services.storage.port import Storage
from keycraft.services.transcription.client import TranscribedNote

PREVIEW_FOLDER_PREFIX = f"{TEMP_PREFIX}progress-"


@dataclass(frozen=True, slots=True)
class JobPreview:
    """Where a running transcription stands.

    Attributes:
        done: Parts the transcriber has finished.
        total: Parts the recording takes.
        duration_s: The recording's length, in seconds.
        started_epoch_s: When this attempt's transcription began (Unix seconds).
        notes: The settled notes so far, in seconds.
    """

    done: int
    total: int
    duration_s: float
    started_epoch_s: float
    notes: tuple[TranscribedNote, ...] = ()


def preview_folder(job_id: str) -> str:
    """The job's own folder under the temporary prefix."""
    return f"{PREVIEW_FOLDER_PREFIX}{job_id}/"


def preview_key(job_id: str) -> str:
    """Key of the job's preview object."""
    return f"{preview_folder(job_id)}progress.json"


def _encode(preview: JobPreview) -> bytes:
    body = {
        "done": preview.done,
        "total": preview.total,
        "duration_s": preview.duration_s,
        "started_epoch_s": preview.started_epoch_s,
        "notes": [
            [round(n.start_s, 6), round(n.end_s, 6), n.pitch_midi, n.velocity]
            for n in preview.notes
        ],
    }
    return json.dumps(body, separators=(",", ":")).encode()


def _decode(data: bytes) -> JobPreview | None:
    try:
        body: dict[str, Any] = json.loads(data)
        return JobPreview(
            done=int(body["done"]),
            total=int(body["total"]),
            duration_s=float(body["duration_s"]),
            started_epoch_s=float(body["started_epoch_s"]),
            notes=tuple(
                TranscribedNote(float(s), float(e), int(p), int(v)) for s, e, p, v in body["notes"]
            ),
        )
    except (KeyError, TypeError, ValueError):
        return None


def write_preview(storage: Storage, job_id: str, preview: JobPreview) -> None:
    """Replace the job's preview (a failed write only delays the next look)."""
    try:
        storage.put(preview_key(job_id), _encode(preview), "application/json")
    except DomainError:
        return


def read_preview(storage: Storage, job_id: str) -> JobPreview | None:
    """The job's preview, or None when there is none (yet) or it cannot be read."""
    try:
        return _decode(storage.get(preview_key(job_id)))
    except DomainError:
        return None


def remove_preview(storage: Storage, job_id: str) -> None:
    """Delete the job's preview; the sweep takes one that could not be deleted later."""
    try:
        storage.delete_prefix(preview_folder(job_id))
    except DomainError:
        return
