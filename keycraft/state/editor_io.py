"""MIDI import in the editor: which tracks, and whether to replace the notes or start anew."""

from __future__ import annotations

import asyncio

import reflex as rx
from reflex.event import EventSpec

from keycraft.routes import editor_url
from keycraft.services import project_fill
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import DomainError
from keycraft.services.notes.midi_io import MAX_MIDI_BYTES, import_midi, midi_tracks
from keycraft.state.auth import AuthState
from keycraft.state.editor import EditorState
from keycraft.state.editor_base import error_message

ALL_TRACKS = "All tracks, merged"
IMPORTED_TITLE = "Imported MIDI"
"""Title of a project made from a file whose name gives none."""


class MidiImportState(rx.State):
    """One pending MIDI file between its upload and the user's answers."""

    track_dialog_open: bool = False
    track_options: rx.Field[list[str]] = rx.field(default_factory=list)
    track_choice: rx.Field[str] = rx.field("")
    replace_dialog_open: bool = False

    _pending_midi: bytes = b""
    _pending_title: str = ""
    _track_indices: list[int] = []
    _into_new_project: bool = False

    @rx.event
    async def import_midi(self, files: list[rx.UploadFile]) -> EventSpec | None:
        """Read a MIDI file; ask what to replace and which track when there is a choice."""
        editor = await self.get_state(EditorState)
        if not files or not editor.loaded:
            return None
        data = await files[0].read(MAX_MIDI_BYTES + 1)
        try:
            tracks = await asyncio.to_thread(midi_tracks, data)
        except DomainError as exc:
            editor.message = error_message(exc)
            return None
        self._pending_midi = data
        self._pending_title = project_fill.title_from_filename(
            files[0].filename or "", IMPORTED_TITLE
        )
        self._track_indices = [t.index for t in tracks]
        self.track_options = [ALL_TRACKS] + [
            f"Track {t.index}: {t.name or 'untitled'} ({t.note_count} notes)" for t in tracks
        ]
        self.track_choice = ALL_TRACKS
        self._into_new_project = False
        if project_fill.needs_choice(editor.note_count):
            self.replace_dialog_open = True
            return None
        return await self._choose_tracks()

    @rx.event
    async def replace_notes(self) -> EventSpec | None:
        """The answer "Replace the notes": the file goes into this project."""
        self.replace_dialog_open = False
        self._into_new_project = False
        return await self._choose_tracks()

    @rx.event
    async def add_as_new_project(self) -> EventSpec | None:
        """The answer "Add as a new project": this project stays as it is."""
        self.replace_dialog_open = False
        self._into_new_project = True
        return await self._choose_tracks()

    @rx.event
    def cancel(self) -> None:
        """Drop the pending file; nothing changes."""
        self._pending_midi = b""
        self.replace_dialog_open = False
        self.track_dialog_open = False

    @rx.event
    def set_track_choice(self, value: str) -> None:
        """Choose which track(s) the import takes."""
        if value in self.track_options:
            self.track_choice = value

    @rx.event
    async def confirm_tracks(self) -> EventSpec | None:
        """Import the pending file with the chosen track(s)."""
        self.track_dialog_open = False
        position = (
            self.track_options.index(self.track_choice)
            if self.track_choice in self.track_options
            else 0
        )
        chosen = None if position == 0 else frozenset({self._track_indices[position - 1]})
        return await self._import(chosen)

    async def _choose_tracks(self) -> EventSpec | None:
        if len(self._track_indices) > 1:
            self.track_dialog_open = True
            return None
        return await self._import(None)

    async def _import(self, tracks: frozenset[int] | None) -> EventSpec | None:
        """Import into the open project (one undoable step) or a new one; nothing on error."""
        data, self._pending_midi = self._pending_midi, b""
        editor = await self.get_state(EditorState)
        project = editor.open_project()
        if not data or project is None:
            return None
        try:
            imported = await asyncio.to_thread(import_midi, data, tracks)
            if self._into_new_project:
                auth = await self.get_state(AuthState)
                created = await asyncio.to_thread(
                    project_fill.create_from_midi,
                    get_services().repository,
                    auth.user_id,
                    self._pending_title,
                    imported,
                    utc_now(),
                )
                return rx.redirect(editor_url(created.id))
            timed = project_fill.with_imported_maps(project, imported)
        except DomainError as exc:
            editor.message = error_message(exc)
            return None
        return await editor.fill(timed, imported.notes)
