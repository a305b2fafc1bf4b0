"""Audio → MIDI in the editor: the recording fills the open project, asking first if needed."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from keycraft.services import project_fill
from keycraft.state.editor import EditorState
from keycraft.state.transcription import IDLE, TranscriptionState


class TranscribeHereState(rx.State):
    """The editor's upload: into this project, or (when the user says so) a new one."""

    replace_dialog_open: bool = False

    @rx.event
    async def receive_audio(self, files: list[rx.UploadFile]) -> EventSpec | None:
        """Store the recording; transcribe it into this project, asking first if it has notes."""
        editor = await self.get_state(EditorState)
        transcription = await self.get_state(TranscriptionState)
        if not editor.loaded or not editor.project_id:
            return None
        if not await transcription.store_upload(files, staged=True):
            return None
        if project_fill.needs_choice(editor.note_count):
            transcription.status = IDLE
            self.replace_dialog_open = True
            return None
        return transcription.start(into_project_id=editor.project_id)

    @rx.event
    async def replace_notes(self) -> EventSpec | None:
        """The answer "Replace the notes": the transcription fills this project."""
        self.replace_dialog_open = False
        editor = await self.get_state(EditorState)
        transcription = await self.get_state(TranscriptionState)
        return transcription.start(into_project_id=editor.project_id)

    @rx.event
    async def add_as_new_project(self) -> EventSpec | None:
        """The answer "Add as a new project": this project stays as it is."""
        self.replace_dialog_open = False
        transcription = await self.get_state(TranscriptionState)
        return transcription.start(into_project_id="")

    @rx.event
    async def cancel(self) -> None:
        """Drop the uploaded recording; nothing is transcribed."""
        self.replace_dialog_open = False
        transcription = await self.get_state(TranscriptionState)
        await transcription.drop_upload()
