"""Audio → MIDI: upload a recording, follow the transcriber, open or merge the result."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from keycraft.routes import editor_url
from keycraft.services import projects, usage_limits
from keycraft.services.audio_slice import (
    AudioSlice,
    RangeOutsideRecording,
    UndecodableRecording,
    notes_in_range,
    slice_recording,
)
from keycraft.services.auth.types import RateLimited
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.domain import Note, TempoChange
from keycraft.services.errors import DomainError, NotFound
from keycraft.services.notes.timing import tick_to_seconds
from keycraft.services.projects import project_media_prefix
from keycraft.services.transcriber_client import (
    AudioRejected,
    AudioTooLarge,
    TranscriberBusy,
    TranscriptionOptions,
    TranscriptionTimedOut,
    UnsupportedAudio,
)
from keycraft.services.transcription import (
    AUDIO_TYPES,
    MAX_AUDIO_BYTES,
    AudioFileTooLarge,
    EmptyAudioFile,
    UnsupportedAudioFile,
    check_audio,
    notes_from_transcription,
)
from keycraft.services.transcription_jobs import run_transcription
from keycraft.state.auth import AuthState, signed_in_user_id
from keycraft.state.editor import EditorState

AUDIO_UPLOAD_ID = "upload-audio"
MODEL_OPTIONS: dict[str, str] = {"Fast": "basic-pitch", "Piano – accurate": "transkun"}
"""What the model menu shows → the service's model name."""
CANCEL_POLL_S = 0.2

IDLE, UPLOADING, RUNNING, FAILED = "idle", "uploading", "running", "failed"

MESSAGES: dict[type[DomainError], str] = {
    UnsupportedAudioFile: "Choose a WAV, MP3, FLAC, OGG or M4A file.",
    AudioFileTooLarge: "Recordings can be at most 100 MB.",
    EmptyAudioFile: "That file is empty.",
    AudioTooLarge: "That recording is too large for the transcriber.",
    UnsupportedAudio: "The transcriber could not read that file as audio.",
    TranscriptionTimedOut: "The transcription took too long and was stopped. Try a shorter piece.",
    NotFound: "This project's recording is no longer available.",
    UndecodableRecording: "This project's recording could not be read to re-transcribe it.",
    RangeOutsideRecording: "Those bars are past the end of the recording.",
}
REJECTED_MESSAGES: dict[str, str] = {
    "too_long": "That recording is too long for the transcriber. Try a shorter excerpt.",
    "unprocessable_audio": "The transcriber could not decode that recording. Is the file damaged?",
}
FALLBACK_MESSAGE = "The transcriber is not available right now. Please try again later."
TOO_MANY_TRANSCRIPTIONS = (
    "You have started many transcriptions in the last hour. Please try again in {minutes} min."
)


def _message(error: DomainError) -> str:
    if isinstance(error, TranscriberBusy):
        return f"The transcriber is busy. Please try again in {error.retry_after_s} seconds."
    if isinstance(error, AudioRejected):
        return REJECTED_MESSAGES.get(error.code, "The transcriber refused that file or setting.")
    return next((m for t, m in MESSAGES.items() if isinstance(error, t)), FALLBACK_MESSAGE)


async def _forget_upload(user_id: str, project_id: str | None) -> None:
    """Remove a new project's stored recording when no project will be made from it."""
    if not project_id:
        return
    storage = get_services().storage
    try:
        await asyncio.to_thread(storage.delete_prefix, project_media_prefix(user_id, project_id))
    except DomainError:
        return  # an orphaned file costs storage only; the user's outcome is unchanged


DEFAULT_ONSET_THRESHOLD = 0.5
DEFAULT_FRAME_THRESHOLD = 0.3


class TranscriptionState(rx.State):
    """Settings and progress of one transcription; the audio itself never enters state."""

    model_label: rx.Field[str] = rx.field("Fast")
    onset_threshold: float = DEFAULT_ONSET_THRESHOLD
    frame_threshold: float = DEFAULT_FRAME_THRESHOLD
    min_note_ms: rx.Field[int] = rx.field(60)
    range_start_bar: rx.Field[int] = rx.field(1)
    range_end_bar: rx.Field[int] = rx.field(9)
    status: str = IDLE
    upload_percent: int = 0
    message: str = ""
    cancel_requested: bool = False

    _pending_key: str = ""
    _pending_project_id: str = ""
    _pending_title: str = ""
    _pending_content_type: str = ""
    _pending_filename: str = ""
    _retranscribe: bool = False
    _upload_done: bool = False
    _job_started_s: float = 0.0
    """When this tab's running transcription started (0: none runs)."""

    @rx.var
    def busy(self) -> bool:
        """Whether a transcription is under way."""
        return self.status in (UPLOADING, RUNNING)

    @rx.var
    def status_text(self) -> str:
        """The progress line shown to the user."""
        if self.status == UPLOADING:
            return f"Uploading… {self.upload_percent}%"
        if self.status == RUNNING:
            return "Transcribing… this can take a minute."
        return self.message

    def _options(self, tempo_bpm: float) -> TranscriptionOptions:
        return TranscriptionOptions(
            model="transkun"
            if MODEL_OPTIONS.get(self.model_label) == "transkun"
            else "basic-pitch",
            onset_threshold=self.onset_threshold,
            frame_threshold=self.frame_threshold,
            min_note_ms=float(self.min_note_ms),
            tempo_bpm=tempo_bpm,
        )

    # --- settings ----------------------------------------------------------------------
    @rx.event
    def set_model_label(self, value: str) -> None:
        """Choose Fast or Piano – accurate."""
        if value in MODEL_OPTIONS:
            self.model_label = value

    @rx.event
    def set_onset_threshold(self, value: list[int | float]) -> None:
        """How sure the model must be that a note starts (0–1)."""
        self.onset_threshold = round(min(1.0, max(0.0, float(value[0]))), 2)

    @rx.event
    def set_frame_threshold(self, value: list[int | float]) -> None:
        """How sure the model must be that a note is still sounding (0–1)."""
        self.frame_threshold = round(min(1.0, max(0.0, float(value[0]))), 2)

    @rx.event
    def set_min_note_ms(self, value: str) -> None:
        """Shortest note kept, in milliseconds."""
        try:
            self.min_note_ms = min(2000, max(10, int(value)))
        except ValueError:
            return

    @rx.event
    def set_range_start_bar(self, value: str) -> None:
        """First bar re-transcription replaces."""
        try:
            self.range_start_bar = max(1, int(value))
        except ValueError:
            return
        self.range_end_bar = max(self.range_end_bar, self.range_start_bar + 1)

    @rx.event
    def set_range_end_bar(self, value: str) -> None:
        """Bar where re-transcription stops replacing (exclusive)."""
        try:
            self.range_end_bar = max(self.range_start_bar + 1, int(value))
        except ValueError:
            return

    # --- new project from a recording --------------------------------------------------
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

    @rx.event
    async def receive_audio(self, files: list[rx.UploadFile]) -> EventSpec | None:
        """Store the uploaded recording, then transcribe it in the background."""
        auth = await self.get_state(AuthState)
        if not auth.user_id or not files:
            self.status = IDLE
            return None
        self._upload_done = True
        upload = files[0]
        data = await upload.read(MAX_AUDIO_BYTES + 1)
        try:
            checked = check_audio(auth.user_id, upload.filename or "", len(data))
        except DomainError as exc:
            self.status, self.message = FAILED, _message(exc)
            return None
        if self.cancel_requested:
            self.status = IDLE
            return None
        storage = get_services().storage
        await asyncio.to_thread(storage.put, checked.storage_key, data, checked.content_type)
        self._pending_key = checked.storage_key
        self._pending_project_id = checked.project_id
        self._pending_title = checked.title
        self._pending_content_type = checked.content_type
        self._pending_filename = checked.filename
        self._retranscribe = False
        self.status = RUNNING
        self.upload_percent = 100
        return TranscriptionState.run

    @rx.event
    def retranscribe(self) -> EventSpec | None:
        """Transcribe the open project's recording again, replacing only the chosen bars."""
        if self.busy:
            return None
        self._retranscribe = True
        self.status = RUNNING
        self.message = ""
        self.cancel_requested = False
        return TranscriptionState.run

    @rx.event
    def cancel(self) -> EventSpec | None:
        """Stop the upload or the transcription; nothing changes."""
        self.cancel_requested = True
        if self.status == UPLOADING:
            self.status = IDLE
            return rx.cancel_upload(AUDIO_UPLOAD_ID)
        return None

    @rx.event(background=True)
    async def run(self) -> EventSpec | None:
        """Run the transcription ``receive_audio`` or ``retranscribe`` set up, once.

        A client may send this event directly: it does nothing unless a job is waiting and
        none runs for this tab, and every run counts against the user's hourly allowance.
        """
        services = get_services()
        async with self:
            user_id = await signed_in_user_id(await self.get_state(AuthState))
            now_s = time.time()
            claimed_s = services.settings.transcriber_timeout_s + 60
            if not user_id or self.status != RUNNING or now_s - self._job_started_s < claimed_s:
                return None
            self._job_started_s = now_s
        try:
            await asyncio.to_thread(
                usage_limits.charge,
                services.repository,
                usage_limits.TRANSCRIPTIONS_PER_USER,
                user_id,
                utc_now(),
            )
        except RateLimited as limited:
            async with self:
                wait = usage_limits.minutes_to_wait(limited.retry_after_s)
                self.status, self.message = FAILED, TOO_MANY_TRANSCRIPTIONS.format(minutes=wait)
                self._job_started_s = 0.0
            return None
        try:
            return await self._transcribe()
        finally:
            async with self:
                self._job_started_s = 0.0

    async def _transcribe(self) -> EventSpec | None:
        """Send the audio to the transcriber, then open or merge the notes.

        Re-transcription sends only the chosen bars (plus a little padding) of the recording.
        """
        async with self:
            auth = await self.get_state(AuthState)
            editor = await self.get_state(EditorState)
            user_id = auth.user_id
            retranscribe = self._retranscribe
            tempo_bpm = editor.tempo_bpm if retranscribe else 120.0
            options = self._options(tempo_bpm)
            project = editor._project if retranscribe else None
            key = project.source_audio_key if project else self._pending_key
            filename = (self._pending_filename or "recording").rsplit(".", 1)[0]
            title = self._pending_title or "Recording"
            project_id = self._pending_project_id
            tempo_changes = project.tempo_changes if project else ()
            start_tick = editor._bar_start_tick(self.range_start_bar)
            end_tick = editor._bar_start_tick(self.range_end_bar)
            bars = (self.range_start_bar, self.range_end_bar - 1)
        # The recording plays in real seconds: the bars' times follow the tempo map.
        tempo_map = (TempoChange(0, tempo_bpm), *tempo_changes)
        start_s, end_s = (
            tick_to_seconds(start_tick, tempo_map),
            tick_to_seconds(end_tick, tempo_map),
        )
        services = get_services()
        piece: AudioSlice | None = None
        try:
            if not key:
                raise NotFound("recording")
            audio = await asyncio.to_thread(services.storage.get, key)
            suffix = key[key.rfind(".") :]
            content_type = AUDIO_TYPES.get(suffix, "application/octet-stream")
            if retranscribe:
                piece = await asyncio.to_thread(slice_recording, audio, suffix, start_s, end_s)
                audio, suffix, content_type = piece.wav_bytes, ".wav", AUDIO_TYPES[".wav"]
            # Its own task: cancellable, and the job's request id stays inside it.
            task = asyncio.create_task(
                run_transcription(
                    services.transcriber, audio, f"{filename}{suffix}", content_type, options
                )
            )
            cancelled = False
            while not task.done() and not cancelled:
                await asyncio.wait({task}, timeout=CANCEL_POLL_S)
                async with self:
                    if self.cancel_requested:
                        task.cancel()
                        self.status, self.message = IDLE, "Transcription cancelled."
                        cancelled = True
            if cancelled:
                await _forget_upload(user_id, None if retranscribe else project_id)
                return None
            result = task.result()
        except DomainError as exc:
            async with self:
                self.status, self.message = FAILED, _message(exc)
            await _forget_upload(user_id, None if retranscribe else project_id)
            return None
        if piece is not None:
            in_range = notes_in_range(result.notes, piece, start_s, end_s)
            placed = notes_from_transcription(in_range, tempo_bpm, tempo_changes=tempo_changes)
            return await self._merge(placed, start_tick, end_tick, bars)
        notes = notes_from_transcription(result.notes, tempo_bpm, tempo_changes=tempo_changes)
        try:
            created = await asyncio.to_thread(
                projects.create_project,
                services.repository,
                user_id,
                title,
                utc_now(),
                notes=notes,
                source_audio_key=key,
                project_id=project_id,
            )
        except DomainError as exc:
            async with self:
                self.status, self.message = FAILED, _message(exc)
            return None
        async with self:
            self.status, self.message = IDLE, f"Transcribed {len(notes)} notes."
        return rx.redirect(editor_url(created.id))

    async def _merge(
        self, notes: list[Note], start_tick: int, end_tick: int, bars: tuple[int, int]
    ) -> EventSpec | None:
        """Replace the chosen bars with ``notes``; return the editor's saver to start."""
        async with self:
            editor = await self.get_state(EditorState)
            replaced, saver = editor.replace_range(start_tick, end_tick, notes)
            self.status = IDLE
            self.message = f"Replaced bars {bars[0]}–{bars[1]}: {replaced} notes."
        return saver
