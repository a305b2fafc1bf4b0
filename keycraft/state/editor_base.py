"""What every part of the editor state shares: the open project, its session, fixed messages.

``EditorState`` (``editor.py``) is composed of mixins, one module per concern; each
builds on this one. Other states never use these members directly: they go through
``EditorState``'s public methods (see ``editor.py``).
"""

from __future__ import annotations

import json

import reflex as rx

from keycraft.services import project_fill, projects
from keycraft.services.domain import Project
from keycraft.services.errors import Conflict, DomainError, NotFound
from keycraft.services.notes import edits
from keycraft.services.notes.autosave import AutosaveTracker
from keycraft.services.notes.midi_io import (
    InvalidMidiFile,
    NoNotesInMidi,
    UnsupportedMidiFile,
)
from keycraft.services.notes.pedal import InvalidPedal
from keycraft.services.notes.roll_json import notes_json
from keycraft.services.notes.session import EditingSession, ServerEdit

MESSAGES: dict[type[DomainError], str] = {
    Conflict: "This project was changed in another tab. Reload the page to continue.",
    NotFound: "This project no longer exists.",
    edits.InvalidEdit: "That edit would put a note outside the piano's range.",
    edits.TooManyNotes: (
        f"That would take this project past {edits.MAX_NOTES:,} notes, the most a project"
        " can hold. Nothing was changed: delete some notes first."
    ),
    project_fill.TooManyImportedNotes: (
        f"That file has more than {edits.MAX_NOTES:,} notes, the most a project can hold."
        " Nothing was imported."
    ),
    InvalidMidiFile: "That file is not a MIDI file, or it is damaged. Nothing was imported.",
    UnsupportedMidiFile: "Type 2 MIDI files are not supported. Nothing was imported.",
    NoNotesInMidi: "That MIDI file has no piano notes. Nothing was imported.",
    projects.InvalidTitle: "A title needs 1 to 120 characters.",
    projects.InvalidTempo: "Tempo must be between 20 and 400 BPM.",
    projects.InvalidTimeSignature: "That time signature is not supported. Nothing was imported.",
    projects.InvalidTempoMap: "Too many tempo or metre changes in that file. Nothing was imported.",
    InvalidPedal: "That file's sustain pedal cannot be read. Nothing was imported.",
}
PEDAL_EDIT_MESSAGE = "Pedal spans cannot overlap or be empty. The pedal was not changed."
SAVE_FAILED_MESSAGE = "Could not save. Your changes are kept here and saved with your next edit."


def error_message(error: DomainError) -> str:
    """The fixed sentence the editor shows for ``error``."""
    return next((m for t, m in MESSAGES.items() if isinstance(error, t)), SAVE_FAILED_MESSAGE)


def _compact(rows: object) -> str:
    return json.dumps(rows, separators=(",", ":"))


class EditorBase(rx.State, mixin=True):
    """The open project and its notes; the vars that carry notes to the roll stay small."""

    project_id: str = ""
    loaded: bool = False
    missing: bool = False
    missing_reason: str = ""
    """Why the project in the URL is gone, when its own transcription removed it ("" else)."""
    has_audio: bool = False
    message: str = ""
    help_open: bool = False

    notes_json: str = "[]"
    # The pedal spans as JSON rows {start_tick, end_tick}, read by the roll with the notes.
    pedals_json: str = "[]"
    load_revision: rx.Field[int] = rx.field(0)
    patch_json: str = ""
    patch_seq: int = 0

    note_count: int = 0
    selection_count: int = 0
    can_undo: bool = False
    can_redo: bool = False

    _session: EditingSession | None = None
    _project: Project | None = None
    _selected: tuple[str, ...] = ()
    _autosave: AutosaveTracker = AutosaveTracker()

    def _reload_notes(self) -> None:
        """Send every note and the pedal to the roll again (a load, or a refused edit)."""
        if self._session is not None:
            self.notes_json = notes_json(self._session.notes)
            self.pedals_json = _compact(edits.pedal_rows(self._session.pedals))
            self.load_revision += 1

    def _refresh_counts(self) -> None:
        session = self._session
        self.note_count = len(session.notes) if session else 0
        self.can_undo = bool(session and session.can_undo)
        self.can_redo = bool(session and session.can_redo)
        if session is not None:
            # Notes gone by any edit (a delete in the roll, an undo) leave the selection here,
            # so the count drops with the edit, not when the roll's selection event follows.
            self._selected = tuple(i for i in self._selected if i in session.notes)
        self.selection_count = len(self._selected)

    def _push(self, edit: ServerEdit | None, done: str = "") -> None:
        """Send a server-made edit to the browser as a small patch.

        ``done`` names the command carried out, for the roll to announce: only once it
        happened (a paste past the note limit is refused and says so instead).
        """
        if edit is None:
            return
        payload = edits.changeset_to_payload(edit.changeset)
        if done:
            payload["done"] = done
        if edit.select_ids is not None:
            payload["select_ids"] = list(edit.select_ids)
            self._selected = edit.select_ids
        self.patch_json = _compact(payload)
        self.patch_seq += 1
