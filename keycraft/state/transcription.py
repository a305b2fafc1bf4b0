"""Audio → MIDI: upload a recording, follow the transcriber, open or merge the result."""

from __future__ import annotations

import asyncio

import reflex as rx
from reflex.event import EventSpec

from keycraft.routes import editor_url
from keycraft.services import projects, usage_limits
from keycraft.services.auth.types import RateLimited
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import DomainError
from keycraft.services.jobs.errors import MinutesSpent, TooManyJobs
from keycraft.services.jobs.submit import (
    check_minutes_left,
    measure_stored_recording,
    new_project_for_recording,
    submit_job,
    submit_retranscription,
)
from keycraft.services.storage.keys import TEMP_PREFIX
from keycraft.services.transcription.recordings import (
    place_recording,
)
from keycraft.state.auth import AuthState, signed_in_user_id
from keycraft.state.editor import EditorState
from keycraft.state.job_messages import TOO_MANY_JOBS_MESSAGE
from keycraft.state.jobs import JobsState
from keycraft.state.minutes import MinutesState
from keycraft.state.transcription_messages import (
    MINUTES_SPENT_MESSAGE,
    TOO_MANY_TRANSCRIPTIONS,
    message_for,
)
from keycraft.state.transcription_upload import (
    AUDIO_UPLOAD_ID,
    FAILED,
    IDLE,
    RUNNING,
    UPLOADING,
    TranscriptionUploadMixin,
    forget_upload,
)


class TranscriptionState(TranscriptionUploadMixin, rx.State):
    """Settings and progress of one transcription; the audio itself never enters state."""

    # --- new project from a recording --------------------------------------------------
    @rx.event
    async def receive_audio(self, files: list[rx.UploadFile]) -> EventSpec | None:
        """Store the uploaded recording, then transcribe it into a new project."""
        if not await self.store_upload(files, staged=False):
            return None
        return self.start(into_project_id="")

    def start(self, into_project_id: str) -> EventSpec:
        """Transcribe the stored upload into the open project (by id) or, with "", a new one."""
        self._into_project_id = into_project_id
        self.status = RUNNING
        self.message = ""
        return TranscriptionState.submit

    @rx.event(background=True)
    async def submit(self) -> EventSpec | None:
        """Hand the stored upload to a transcription job; the job, not this tab, runs it.

        A new project is made at once (empty, holding the recording) so its card and its
        editor show the job's progress; the job fills it whether or not a tab is open.
        """
        async with self:
            auth = await self.get_state(AuthState)
            user_id, into_id, key = auth.user_id, self._into_project_id, self._pending_key
            filename = self._pending_filename or "recording.wav"
            title = self._pending_title or "Recording"
            if not user_id or not key:
                self.status = IDLE
                return None
        services = get_services()
        repo, storage = services.repository, services.storage
        project_id = into_id or self._pending_project_id
        tempo_bpm = 120.0
        made_project = False
        try:
            # Measured and checked before a project is made: a recording that does not fit
            # this month's minutes is refused with nothing left behind.
            duration_s = await asyncio.to_thread(measure_stored_recording, storage, key)
            await asyncio.to_thread(
                check_minutes_left, repo, services.plans, user_id, duration_s, utc_now()
            )
            if into_id:
                tempo_bpm = (
                    await asyncio.to_thread(projects.open_project, repo, user_id, into_id)
                ).tempo_bpm
            else:
                if key.startswith(TEMP_PREFIX):
                    audio = await asyncio.to_thread(storage.get, key)
                    key = await asyncio.to_thread(
                        place_recording, storage, audio, key, user_id, project_id
                    )
                await asyncio.to_thread(
                    new_project_for_recording,
                    repo,
                    user_id,
                    project_id,
                    title,
                    key,
                    utc_now(),
                )
                made_project = True
            async with self:
                options = self._options(tempo_bpm)
            recording = key
            await asyncio.to_thread(
                lambda: submit_job(
                    repo,
                    services.jobs,
                    user_id=user_id,
                    project_id=project_id,
                    recording_key=recording,
                    filename=filename,
                    title=title,
                    into_existing=bool(into_id),
                    options=options,
                    now=utc_now(),
                    max_active=services.settings.max_active_jobs_per_user,
                    plans=services.plans,
                    duration_s=duration_s,
                )
            )
        except DomainError as exc:
            if made_project:
                await asyncio.to_thread(repo.delete_project, user_id, project_id)
            await forget_upload(user_id, None if into_id else project_id, key)
            async with self:
                self.status = FAILED
                if isinstance(exc, MinutesSpent):
                    self.message = MINUTES_SPENT_MESSAGE
                    await (await self.get_state(MinutesState)).show_spent(user_id, exc)
                elif isinstance(exc, TooManyJobs):
                    limit = services.settings.max_active_jobs_per_user
                    self.message = TOO_MANY_JOBS_MESSAGE.format(limit=limit)
                else:
                    self.message = message_for(exc)
            return None
        async with self:
            await (await self.get_state(MinutesState)).load(user_id)
            self._pending_key = ""
            self.status, self.message = IDLE, ""
        if into_id:
            return JobsState.watch
        return rx.redirect(editor_url(project_id))

    @rx.event(background=True)
    async def retranscribe(self) -> EventSpec | None:
        """Re-transcribe the chosen bars of the open project's recording, as a job.

        The job swaps the notes that start in those bars in the saved project, whether or
        not this tab stays open; the editor shows them when it ends.
        """
        async with self:
            if self.busy:
                return None
            user_id = await signed_in_user_id(await self.get_state(AuthState))
            project = (await self.get_state(EditorState)).open_project()
            if not user_id or project is None:
                return None
            first_bar, end_bar = self.range_start_bar, self.range_end_bar
            options = self._options(project.tempo_bpm)
            self.status, self.message = RUNNING, ""
        services = get_services()
        try:
            await asyncio.to_thread(
                usage_limits.charge,
                services.repository,
                usage_limits.TRANSCRIPTIONS_PER_USER,
                user_id,
                utc_now(),
            )
            await asyncio.to_thread(
                lambda: submit_retranscription(
                    services.repository,
                    services.jobs,
                    user_id=user_id,
                    project_id=project.id,
                    first_bar=first_bar,
                    end_bar=end_bar,
                    options=options,
                    now=utc_now(),
                    max_active=services.settings.max_active_jobs_per_user,
                    plans=services.plans,
                )
            )
        except RateLimited as limited:
            async with self:
                wait = usage_limits.minutes_to_wait(limited.retry_after_s)
                self.status, self.message = FAILED, TOO_MANY_TRANSCRIPTIONS.format(minutes=wait)
            return None
        except DomainError as exc:
            async with self:
                self.status = FAILED
                if isinstance(exc, MinutesSpent):
                    self.message = MINUTES_SPENT_MESSAGE
                    await (await self.get_state(MinutesState)).show_spent(user_id, exc)
                elif isinstance(exc, TooManyJobs):
                    limit = services.settings.max_active_jobs_per_user
                    self.message = TOO_MANY_JOBS_MESSAGE.format(limit=limit)
                else:
                    self.message = message_for(exc)
            return None
        async with self:
            await (await self.get_state(MinutesState)).load(user_id)
            self.status, self.message = IDLE, ""
        return JobsState.watch

    @rx.event
    def cancel(self) -> EventSpec | None:
        """Stop the upload or the transcription; nothing changes."""
        self.cancel_requested = True
        if self.status == UPLOADING:
            self.status = IDLE
            return rx.cancel_upload(AUDIO_UPLOAD_ID)
        return None
