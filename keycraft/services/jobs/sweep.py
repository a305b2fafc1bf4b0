"""Removes stored recordings nothing refers to any more: their project or their job is gone.

A worker killed between steps, or a project deleted while its media could not be, leaves
files behind; the worker's periodic task runs this sweep so they do not pile up.
"""

from __future__ import annotations

import logging

from keycraft.services.jobs.chunk_store import chunks_folder
from keycraft.services.jobs.preview import preview_folder
from keycraft.services.projects import project_media_prefix
from keycraft.services.repository.port import Repository
from keycraft.services.storage.keys import TEMP_PREFIX
from keycraft.services.storage.port import Storage

logger = logging.getLogger("keycraft.jobs")

PROJECT_MEDIA_GRACE_S = 3600.0
"""A new project's recording is stored a moment before its project is written: media this
young is never an orphan yet."""


def _newest_by_folder(storage: Storage, prefix: str, depth: int) -> dict[str, float]:
    """Folder (the key's first ``depth`` parts) → when its newest object was written."""
    newest: dict[str, float] = {}
    for item in storage.list_objects(prefix):
        parts = item.key.split("/")
        if len(parts) <= depth:
            continue
        folder = "/".join(parts[:depth]) + "/"
        newest[folder] = max(newest.get(folder, 0.0), item.modified_epoch_s)
    return newest


def staged_folders_in_use(repo: Repository) -> frozenset[str]:
    """Temporary folders a queued or running job still needs: its staged upload, its preview.

    Whatever deletes staged uploads (this sweep, ``manage purge-temp``) keeps these, however
    old: a job may wait in the queue longer than an upload is normally kept.
    """
    active = repo.list_active_transcription_jobs()
    staged = {
        job.recording_key.rsplit("/", 1)[0] + "/"
        for job in active
        if job.recording_key.startswith(TEMP_PREFIX)
    }
    # A running job's partial notes and its finished chunks live beside the staged uploads,
    # each in a folder of its own.
    folders = {preview_folder(job.id) for job in active} | {chunks_folder(job.id) for job in active}
    return frozenset(staged | folders)


def sweep_orphan_recordings(
    repo: Repository,
    storage: Storage,
    now_epoch_s: float,
    *,
    project_grace_s: float = PROJECT_MEDIA_GRACE_S,
    staged_grace_s: float,
) -> int:
    """Delete media of projects that no longer exist, and staged uploads no live job needs.

    Project media (``users/<uid>/projects/<pid>/``) goes once its project is gone and the
    folder has not been written for ``project_grace_s``. A staged upload (``tmp/<id>/``) goes
    after ``staged_grace_s`` unless a queued or running job is still to read it; so does a
    job's preview of its partial notes (``tmp/progress-<job id>/``) and its finished chunks
    (``tmp/chunks-<job id>/``) once the job has ended.

    Returns:
        How many objects were deleted.
    """
    removed = 0
    for folder, newest in _newest_by_folder(storage, "users/", 4).items():
        _, user_id, kind, project_id = folder.rstrip("/").split("/")
        if kind != "projects" or newest > now_epoch_s - project_grace_s:
            continue
        if repo.get_project(user_id, project_id) is None:
            removed += storage.delete_prefix(project_media_prefix(user_id, project_id))
    waiting_folders = staged_folders_in_use(repo)
    for folder, newest in _newest_by_folder(storage, TEMP_PREFIX, 2).items():
        if folder in waiting_folders or newest > now_epoch_s - staged_grace_s:
            continue
        removed += storage.delete_prefix(folder)
    if removed:
        logger.info("orphan_recordings_removed", extra={"objects": removed})
    return removed
