"""Follows the signed-in user's transcription jobs: on the project cards and in the editor."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

import reflex as rx
from reflex.event import EventSpec

from keycraft.services import projects
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import DomainError, NotFound
from keycraft.services.jobs.model import DONE, FAILED, TranscriptionJob
from keycraft.services.jobs.submit import cancel_job, is_live, latest_job_by_project, view_job
from keycraft.state.auth import AuthState, signed_in_user_id
from keycraft.state.editor import EditorState
from keycraft.state.job_messages import job_status_text
from keycraft.state.projects import ProjectsState

POLL_S = 1.0
MAX_WATCH_S = 4 * 3600.0
"""A tab left open follows its jobs this long at most; a reload starts following again."""


class JobsState(rx.State):
    """Small views of the user's live jobs; the job records stay in the repository."""

    card_status: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    """Project id → its newest job's line, for projects with a live or just-ended job."""
    card_job: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    """Project id → id of its live job (cancellable from the card)."""
    job_id: str = ""
    """The open project's live (or last watched) job."""
    job_text: str = ""
    job_live: bool = False
    job_failed: bool = False
    job_percent: int = 0
    _watch_token: str = ""
    _seen_live: list[str] = []

    def _show(self, latest: dict[str, TranscriptionJob], editor_project_id: str) -> None:
        now = utc_now()
        repo = get_services().repository
        status: dict[str, str] = {}
        live: dict[str, str] = {}
        for project_id, job in latest.items():
            if is_live(job) or job.id in self._seen_live:
                status[project_id] = job_status_text(view_job(repo, job, now))
            if is_live(job):
                live[project_id] = job.id
        self.card_status, self.card_job = status, live
        shown = latest.get(editor_project_id) if editor_project_id else None
        if shown is not None and (is_live(shown) or shown.id in self._seen_live):
            job = shown
            self.job_id = job.id
            self.job_text = status.get(editor_project_id, "")
            self.job_live = is_live(job)
            self.job_failed = job.status == FAILED
            self.job_percent = job.percent
        else:
            self.job_id, self.job_text, self.job_live = "", "", False
            self.job_failed, self.job_percent = False, 0

    @rx.event(background=True)
    async def watch(self) -> AsyncIterator[EventSpec | None]:
        """Poll the user's jobs every second while one is live; fill the editor when done.

        The newest call takes over: an older loop of the same tab stops at its next turn.
        """
        token = uuid.uuid4().hex
        async with self:
            self._watch_token = token
        started = asyncio.get_running_loop().time()
        repo = get_services().repository
        while asyncio.get_running_loop().time() - started < MAX_WATCH_S:
            async with self:
                if self._watch_token != token:
                    return  # a newer watch of this tab took over
                # Not ``.user_id``: this task may start before the page's require_user ends.
                user_id = await signed_in_user_id(await self.get_state(AuthState))
                editor = await self.get_state(EditorState)
                open_id = editor._project.id if editor.loaded and editor._project else ""
            if not user_id:
                return
            latest = await asyncio.to_thread(latest_job_by_project, repo, user_id)
            async with self:
                seen = set(self._seen_live)
                finished = [j for j in latest.values() if j.id in seen and not is_live(j)]
                self._show(latest, open_id)
                self._seen_live = [j.id for j in latest.values() if is_live(j)] + [
                    j.id for j in finished
                ]
                reload_editor = any(j.status == DONE and j.project_id == open_id for j in finished)
            if reload_editor:
                saver = await self._reload_editor(user_id, open_id)
                if saver is not None:
                    yield saver
            if finished:
                async with self:
                    listing = await self.get_state(ProjectsState)
                    if listing.loaded:
                        await listing._refresh(user_id)
            if not any(is_live(j) for j in latest.values()):
                return
            await asyncio.sleep(POLL_S)

    async def _reload_editor(self, user_id: str, project_id: str) -> EventSpec | None:
        """Show the notes the job saved, if the editor still shows that project.

        They arrive as one undoable edit (undo brings the previous notes back), at the
        version the job stored, so the editor's next save follows the job's.
        """
        repo = get_services().repository
        try:
            project = await asyncio.to_thread(projects.open_project, repo, user_id, project_id)
        except NotFound:
            return None
        async with self:
            editor = await self.get_state(EditorState)
            if editor._project is None or editor._project.id != project_id:
                return None
            # At the job's version first: ``fill`` keeps the editor's version and may save
            # at once, which at the older version would look like another tab's change.
            editor._project = replace(editor._project, version=project.version)
            return await editor.fill(project, project.notes)

    @rx.event
    async def cancel(self, job_id: str) -> EventSpec | None:
        """Cancel one of the user's jobs (from its card or the editor)."""
        user_id = (await self.get_state(AuthState)).user_id
        if not user_id or not job_id:
            return None
        services = get_services()
        try:
            await asyncio.to_thread(
                cancel_job, services.repository, services.storage, user_id, job_id, utc_now()
            )
        except DomainError:
            return None
        return JobsState.watch
