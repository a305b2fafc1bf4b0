"""The editor's autosave: the saved indicator and the one background saver per open project.

The decisions (inline or background, when a saver starts, what a save covers) are made
by ``keycraft.services.notes.autosave``; this mixin only runs them on the state.
"""

from __future__ import annotations

import asyncio
import time

import reflex as rx
from reflex.event import EventSpec

from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.domain import Project
from keycraft.services.errors import DomainError
from keycraft.services.notes import roll_events
from keycraft.services.notes.autosave import SaveJob, after_save, run_save, save_job
from keycraft.state.editor_base import SAVE_FAILED_MESSAGE, EditorBase, error_message

SAVED, SAVING, SAVE_FAILED = "saved", "saving", "failed"


class EditorSaveMixin(EditorBase, mixin=True):
    """Saves every edit: inline when idle, else through one coalescing background saver."""

    save_status: str = SAVED
    saved_seq: int = 0

    @rx.var
    def save_label(self) -> str:
        """What the saved indicator says."""
        return {SAVED: "Saved", SAVING: "Saving…", SAVE_FAILED: "Not saved"}[self.save_status]

    def _unsaved(self) -> bool:
        return self._autosave.unsaved

    def _received(self, event: roll_events.Numbered) -> None:
        """Count a commit or command from the roll (acknowledged once saved)."""
        self._autosave.received(roll_events.client_seq(event))
        self.saved_seq = self._autosave.saved_client_seq

    async def _after_edit(
        self, burst: bool = False, event: roll_events.Numbered | None = None
    ) -> EventSpec | None:
        """Save an edit: inline when idle, else through the coalescing background saver.

        ``event`` is the browser event that made the edit; it is counted only after the
        edit, so its acknowledgement waits for the save.
        """
        self._autosave.edited()
        if event is not None:
            self._received(event)
        if self._autosave.saves_inline(burst):
            await self._save_now()
            return None
        return self._start_saver()

    def _edited(self) -> EventSpec | None:
        """Mark the project changed; return the saver to start when none is running."""
        self._autosave.edited()
        return self._start_saver()

    def _start_saver(self) -> EventSpec | None:
        if self._project is None or self._session is None:
            return None
        self.save_status = SAVING
        if not self._autosave.start_saver(time.time()):
            return None
        return self.__class__.autosave

    def _begin_save(self) -> SaveJob | None:
        job = save_job(self._autosave, self._project, self._session, time.time())
        # Assigned, not only mutated in place, so a Redis-held state stores the tracker.
        self.saved_seq = self._autosave.saved_client_seq
        if job is not None:
            self.save_status = SAVING
        return job

    def _end_save(
        self,
        job: SaveJob,
        saved: Project | None,
        error: DomainError | None,
        inline: bool = False,
    ) -> None:
        if error is not None or saved is None or self._project is None:
            if self._session is not None:
                # Kept for the next save: the chunks it would have written are still unsaved.
                self._session.restore_dirty_chunks(job.chunk_indexes)
            self._autosave.failed()
            self.save_status = SAVE_FAILED
            self.message = error_message(error) if error is not None else SAVE_FAILED_MESSAGE
            return
        self._project = after_save(self._project, saved)
        if inline:
            self._autosave.finished_inline(job.ticket, job.content_key)
        else:
            self._autosave.finished(job.ticket, job.content_key)
        self.saved_seq = self._autosave.saved_client_seq
        if not self._autosave.dirty:
            self.save_status = SAVED
            if self.message == SAVE_FAILED_MESSAGE:
                self.message = ""

    async def _when_all_saved(self) -> EventSpec | None:
        """What the saver starts once nothing is left to save (an export may wait for it)."""
        return None

    @rx.event(background=True)
    async def autosave(self) -> EventSpec | None:
        """Save until nothing is left unsaved; only one of these runs per open project.

        An export asked for meanwhile runs once everything is saved (a failed save drops it).
        """
        repo = get_services().repository
        while True:
            async with self:
                job = self._begin_save()
                if job is None:
                    return await self._when_all_saved()
            saved: Project | None = None
            error: DomainError | None = None
            try:
                saved = await asyncio.to_thread(run_save, repo, job, utc_now())
            except DomainError as exc:
                error = exc
            async with self:
                self._end_save(job, saved, error)
                if error is not None:
                    return None

    async def _save_now(self) -> None:
        """Save inline (an edit while idle, or before an export); never beside a saver."""
        job = self._begin_save()
        if job is None:
            return
        try:
            saved = await asyncio.to_thread(run_save, get_services().repository, job, utc_now())
        except DomainError as exc:
            self._end_save(job, None, exc)
            return
        self._end_save(job, saved, None, inline=True)
