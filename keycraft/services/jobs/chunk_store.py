"""Finished chunks of a running job, kept in Storage so a retry or restart redoes no chunk.

One JSON object per chunk, in the service's own answer format, under the job's folder in
the temporary prefix (``tmp/chunks-<job id>/``). The folder is removed when the job ends;
the orphan sweep keeps it while the job is queued or running.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from keycraft.services.errors import DomainError
from keycraft.services.jobs.chunks import ChunkSpan
from keycraft.services.storage.keys import TEMP_PREFIX
from keycraft.services.storage.port import Storage
from keycraft.services.transcription.client import Transcription, parse_transcription

CHUNKS_FOLDER_PREFIX = f"{TEMP_PREFIX}chunks-"
logger = logging.getLogger("keycraft.jobs")


def chunks_folder(job_id: str) -> str:
    """The job's own folder of finished chunks."""
    return f"{CHUNKS_FOLDER_PREFIX}{job_id}/"


def chunk_key(job_id: str, span: ChunkSpan) -> str:
    """Key of one chunk's result; it names the audio span, so a changed plan reuses nothing."""
    start_ms, end_ms = round(span.start_s * 1000), round(span.end_s * 1000)
    return f"{chunks_folder(job_id)}{span.index:03d}-{start_ms}-{end_ms}.json"


def _encode(result: Transcription) -> bytes:
    body: dict[str, Any] = {
        "model": result.model,
        "duration_s": result.duration_s,
        "processing_s": result.processing_s,
        "notes": [
            {
                "start_s": n.start_s,
                "end_s": n.end_s,
                "pitch_midi": n.pitch_midi,
                "velocity": n.velocity,
            }
            for n in result.notes
        ],
        "pedals": [{"start_s": p.start_s, "end_s": p.end_s} for p in result.pedals],
        "beats": [{"time_s": b.time_s, "downbeat": b.downbeat} for b in result.beats],
        "meter": None
        if result.meter is None
        else {"beats_per_bar": result.meter.numerator, "beat_unit": result.meter.denominator},
    }
    return json.dumps(body, separators=(",", ":")).encode()


def save_chunk(storage: Storage, job_id: str, span: ChunkSpan, result: Transcription) -> None:
    """Keep a finished chunk (a failed write only means it is transcribed again on a retry)."""
    try:
        storage.put(chunk_key(job_id, span), _encode(result), "application/json")
    except DomainError:
        logger.warning("job_chunk_not_kept", extra={"job_id": job_id, "chunk": span.index})


def load_chunk(storage: Storage, job_id: str, span: ChunkSpan) -> Transcription | None:
    """The chunk's kept result, or None when it was not finished (or cannot be read)."""
    try:
        return parse_transcription(json.loads(storage.get(chunk_key(job_id, span))))
    except (DomainError, ValueError):
        return None


def remove_chunks(storage: Storage, job_id: str) -> None:
    """Delete the job's finished chunks; the sweep takes them later if this fails."""
    try:
        storage.delete_prefix(chunks_folder(job_id))
    except DomainError:
        return
