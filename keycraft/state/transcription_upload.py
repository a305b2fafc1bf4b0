"""Uploading a recording: its progress, its checks and where it waits until it is transcribed."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from keycraft.config import get_settings
from keycraft.services.container import get_services
from keycraft.services.errors import DomainError
from keycraft.services.projects import project_media_prefix
from keycraft.services.storage.keys import TEMP_PREFIX
from keycraft.services.transcription.recordings import (
    MAX_AUDIO_BYTES,
    check_audio,
    forget_staged,
)
from keycraft.state.auth import AuthState
from keycraft.state.transcription_messages import message_for
from keycraft.state.transcription_settings import TranscriptionSettingsMixin

AUDIO_UPLOAD_ID = "upload-audio"
IDLE, UPLOADING, RUNNING, FAILED = "idle", "uploading", "running", "failed"


async def forget_upload(user_id: str, project_id: str | None, key: str) -> None:
    """Remove a recording no project will be made from (a staged one, or a new project's)."""
    storage = get_services().storage
    if key.startswith(TEMP_PREFIX):
        await asyncio.to_thread(forget_staged, storage, key)
        return
    if not project_id:
        return
    try:
        await asyncio.to_thread(storage.delete_prefix, project_media_prefix(user_id, project_id))
    except DomainError:
        return  # an orphaned file costs storage only; the user's outcome is unchanged


class TranscriptionUploadMixin(TranscriptionSettingsMixin, mixin=True):
    """The upload's progress and the stored recording it leaves for the transcription."""

    status: str = IDLE
    upload_percent: int = 0
    message: str = ""
    cancel_requested: bool = False

    _pending_key: str = ""
    _pending_project_id: str = ""
    _pending_title: str = ""
    _pending_content_type: str = ""
    _pending_filename: str = ""
    _upload_done: bool = False
    _into_project_id: str = ""
    """The open project the next transcription fills; "" makes a new project."""

    @rx.var
    def busy(self) -> bool:
        """Whether a transcription is under way."""
        return self.status in (UPLOADING, RUNNING)

    @rx.var
    def max_recording_s(self) -> float:
        """Longest recording the transcriber accepts: browser recordings stop there."""
        return get_settings().transcriber_max_duration_s

    @rx.var
    def status_text(self) -> str:
        """The progress line shown to the user."""
        if self.status == UPLOADING:
            return f"Uploading… {self.upload_percent}%"
        if self.status == RUNNING:
            return "Transcribing… this can take a minute."
        return self.message

    @rx.event
    def upload_progress(self, progress: dict[str, Any]) -> None:
        """The browser's upload progress (0–1); the first report starts a new upload."""
        fraction = float(progress.get("progress", 0) or 0)
        if self.status == RUNNING or (self._upload_done and fraction >= 1):
            return  # a late report of an upload the server already has
        self._upload_done = False
        self.status = UPLOADING
        self.cancel_requested = False
        self.message = ""
        self.upload_percent = int(fraction * 100)

    async def store_upload(self, files: list[rx.UploadFile], *, staged: bool) -> bool:
        """Check and store an uploaded recording; False (with a message) when it is refused.

        A ``staged`` upload waits under the temporary prefix until its project is chosen.
        """
        auth = await self.get_state(AuthState)
        if not auth.user_id or not files:
            self.status = IDLE
            return False
        self._upload_done = True
        upload = files[0]
        data = await upload.read(MAX_AUDIO_BYTES + 1)
        try:
            checked = check_audio(auth.user_id, upload.filename or "", len(data), staged=staged)
        except DomainError as exc:
            self.status, self.message = FAILED, message_for(exc)
            return False
        if self.cancel_requested:
            self.status = IDLE
            return False
        storage = get_services().storage
        await asyncio.to_thread(storage.put, checked.storage_key, data, checked.content_type)
        self._pending_key = checked.storage_key
        self._pending_project_id = checked.project_id
        self._pending_title = checked.title
        self._pending_content_type = checked.content_type
        self._pending_filename = checked.filename
        self.upload_percent = 100
        return True

    async def drop_upload(self) -> None:
        """Forget the stored upload: nothing will be transcribed from it."""
        auth = await self.get_state(AuthState)
        await forget_upload(auth.user_id, self._pending_project_id, self._pending_key)
        self._pending_key = ""
        self.status = IDLE
