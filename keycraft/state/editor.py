"""The editor page's state: opens a project and composes the editor's concerns into one state.

``EditorState`` is one Reflex state built from mixins, one module per concern, so every
var the page and the roll bind to keeps its ``EditorState.<name>``:

- ``editor_base``: the open project, its editing session, the notes sent to the roll;
- ``editor_save``: autosave (inline or one background saver) and the saved indicator;
- ``editor_fields``: title, tempo and metre; ``editor_settings``: loop, speed, mixer, zoom;
- ``editor_edits``: the roll's commits and shortcuts and the toolbar's edits;
- ``editor_export``: MIDI export and the download quota.

Separate states handle the rest and reach this one only through the public methods
below: ``editor_view`` (setting changes), ``editor_io`` (MIDI import), ``jobs``,
``transcription``, ``transcription_here``.

A sibling state that reads or edits the open project (tempo and metre, the key...)::

    editor = await self.get_state(EditorState)
    project = editor.open_project()  # None until a project is open
    if project is not None:
        return await editor.edit_project(lambda p: replace(p, tempo_bpm=90.0))

``edit_project`` applies the change, shows tempo and metre again and saves like any
edit; return what it returns from the handler (the background saver, if one must start).
Never touch ``EditorState``'s ``_``-prefixed members from another state.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import reflex as rx
from reflex.event import EventSpec

from keycraft.routes import PROJECTS
from keycraft.services import projects
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.domain import Note, Project, ProjectTiming
from keycraft.services.errors import DomainError, NotFound
from keycraft.services.jobs.submit import job_that_removed, view_job
from keycraft.services.notes import roll_events
from keycraft.services.notes.autosave import content_key
from keycraft.services.notes.key import estimate_key_from_weights
from keycraft.services.notes.session import EditingSession
from keycraft.state.auth import AuthState
from keycraft.state.editor_base import error_message
from keycraft.state.editor_edits import EditorEditsMixin
from keycraft.state.editor_export import EditorExportMixin
from keycraft.state.editor_fields import ProjectChange
from keycraft.state.editor_save import SAVED, SAVING
from keycraft.state.job_messages import job_status_text


class EditorState(EditorEditsMixin, EditorExportMixin, rx.State):
    """One open project. Notes live in the backend-only ``_session``; vars stay small."""

    _followed_key: str = ""
    """The key the notes suggested after the latest edit ("" since the project opened)."""

    # --- loading -----------------------------------------------------------------------
    @rx.event
    async def load(self) -> None:
        """Open the project named in the URL, once the user is known."""
        auth = await self.get_state(AuthState)
        self.loaded = False
        self.missing = False
        self.missing_reason = ""
        self.message = ""
        if not auth.user_id:
            return
        project_id = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        cached = self._project
        if (
            cached
            and cached.id == project_id
            and cached.user_id == auth.user_id
            and self._unsaved()
        ):
            # A reload right after an edit: the notes here are newer than storage's, and
            # the save still running will store them.
            self._show_session()
            return
        repo = get_services().repository
        try:
            project = await asyncio.to_thread(projects.open_project, repo, auth.user_id, project_id)
        except NotFound:
            self.missing = True
            gone_by = await asyncio.to_thread(job_that_removed, repo, auth.user_id, project_id)
            if gone_by is not None:
                self.missing_reason = job_status_text(view_job(repo, gone_by, utc_now()))
            return
        self._show(project)
        await self._refresh_quota(auth.user_id)

    def _show(self, project: Project) -> None:
        self._project = project
        self._session = EditingSession(project.notes, project.pedals)
        self._followed_key = ""
        self._autosave.reset(content_key(project, project.pedals))
        self._show_settings(project.settings)
        self._show_session()

    def _show_session(self) -> None:
        project, session = self._project, self._session
        if project is None or session is None:
            return
        self._selected = ()
        self.project_id = project.id
        self.title = project.title
        self._show_maps(project)
        self.has_audio = project.source_audio_key is not None
        self._reload_notes()
        self.patch_json = ""
        self.save_status = SAVING if self._unsaved() else SAVED
        self.saved_seq = self._autosave.saved_client_seq
        self.loaded = True
        self._refresh_counts()

    async def _after_edit(
        self, burst: bool = False, event: roll_events.Numbered | None = None
    ) -> EventSpec | None:
        """Save the edit, and show the key again if the edit moved the notes' estimate."""
        saver = await super()._after_edit(burst, event)
        await self._follow_the_notes_key()
        return saver

    async def _follow_the_notes_key(self) -> None:
        # A learner who fixes wrong notes expects the key (and the spelling) to follow them.
        # The session keeps the pitch-class weights up to date, so the estimate costs the
        # same at any size; the key state is reached only when the estimate moves.
        weights = self.pitch_class_weights()
        if weights is None:
            return
        found = estimate_key_from_weights(weights)
        key_id = found.key.key_id if found is not None else ""
        if key_id == self._followed_key:
            return
        self._followed_key = key_id
        # Imported here: the key state's module imports this one.
        from keycraft.state.editor_key import EditorKeyState

        await (await self.get_state(EditorKeyState)).refresh()

    # --- for other states --------------------------------------------------------------
    def open_project(self) -> Project | None:
        """The open project (None until one is open).

        Its title, tempo, metre and settings are the editor's; its notes and pedal are
        the ones last loaded (the edited ones live in the editing session).
        """
        return self._project if self.loaded else None

    def pitch_class_weights(self) -> tuple[float, ...] | None:
        """How much each pitch class sounds in the notes being edited (None until open)."""
        if self.open_project() is None or self._session is None:
            return None
        return self._session.pitch_class_weights

    def keep_stored(self, change: ProjectChange) -> None:
        """Apply ``change`` to the open project without saving: it was stored elsewhere."""
        if self._project is not None:
            self._project = change(self._project)

    async def retime(self, timing: ProjectTiming) -> EventSpec | None:
        """Read the open project under ``timing`` as one undoable edit; notes keep their times.

        Notes and pedal move to the ticks that keep their real times under the new tempo and
        metre maps. Returns the saver to start, if any.

        Raises:
            DomainError, ValueError: the maps cannot hold the notes (nothing changes).
        """
        project, session = self._project, self._session
        if project is None or session is None:
            return None
        edit = session.retime(project.timing, timing)
        self._take_timing(timing)
        self._push(edit)
        self._refresh_counts()
        return await self._after_edit()

    def show_message(self, text: str) -> None:
        """Show ``text`` in the editor's message line."""
        self.message = text

    async def edit_project(self, change: ProjectChange) -> EventSpec | None:
        """Apply ``change`` to the open project, show tempo and metre again, and save it.

        Returns the saver to start, if any: return it from the calling handler.
        """
        return await self._change_project(change)

    async def fill(
        self, project: Project, notes: list[Note] | tuple[Note, ...]
    ) -> EventSpec | None:
        """Replace every note by ``notes`` and take ``project``'s tempo, metre, pedal and recording.

        Called by MIDI import and by transcription into the open project. The notes, pedal,
        tempo and metre change in one undoable step (undo brings the previous ones back; the
        recording stays the new one). Saves; returns the saver to start, if any.
        """
        if self._session is None or self._project is None:
            return None
        try:
            # Undo brings the earlier notes back with the tempo and metre they were read in.
            timing = (self._project.timing, project.timing)
            self._session.replace_all(notes, pedals=project.pedals, timing=timing)
        except DomainError as exc:
            self.message = error_message(exc)
            return None
        self._show_maps(project)
        self.has_audio = project.source_audio_key is not None
        self._selected = ()
        self._reload_notes()
        self._refresh_counts()
        self.message = ""
        self._project = replace(project, version=self._project.version)
        return await self._after_edit()

    async def fill_stored(self, project: Project) -> EventSpec | None:
        """Show ``project`` as saved elsewhere (a finished job) if it is the open one.

        Its notes arrive as one undoable edit, at the version it was stored with, so the
        editor's next save follows that one.
        """
        if self._project is None or self._project.id != project.id:
            return None
        # At the stored version first: ``fill`` keeps the editor's version and may save at
        # once, which at the older version would look like another tab's change.
        self._project = replace(self._project, version=project.version)
        return await self.fill(project, project.notes)

    # --- page --------------------------------------------------------------------------
    @rx.event
    def set_help_open(self, value: bool) -> None:
        """Show or hide the shortcut list."""
        self.help_open = bool(value)

    @rx.event
    def dismiss_message(self) -> None:
        """Hide the current message."""
        self.message = ""

    @rx.event
    def back_to_projects(self) -> EventSpec:
        """Leave for the project list (everything is already saved)."""
        return rx.redirect(PROJECTS.path)
