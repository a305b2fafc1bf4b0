"""Follows the signed-in user's transcription jobs: on the project cards and in the editor."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

import reflex as rx
from reflex.event import EventSpec

from keycraft.services import projects
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import DomainError, NotFound
from keycraft.services.jobs.live import LiveProgress, live_progress
from keycraft.services.jobs.model import DONE, FAILED, RUNNING, TranscriptionJob
from keycraft.services.jobs.submit import cancel_job, is_live, latest_job_by_project, view_job
from keycraft.services.notes.edits import note_to_row
from keycraft.state.auth import AuthState, signed_in_user_id
from keycraft.state.editor import EditorState
from keycraft.state.job_messages import job_status_text
from keycraft.state.projects import ProjectsState

POLL_S = 1.0
MAX_WATCH_S = 4 * 3600.0
"""A tab left open follows its jobs this long at most; a reload starts following again."""


async def _live_of(job: TranscriptionJob | None) -> LiveProgress | None:
    """The open project's running job's estimate and notes so far."""
    if job is None or job.status != RUNNING:
        return None
    services = get_services()
    return await asyncio.to_thread(
        live_progress, services.repository, services.storage, job, utc_now()
    )


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
    card_percent: rx.Field[dict[str, int]] = rx.field(default_factory=dict)
    """Project id → its live job's percent, for the card's bar."""
    preview_active: bool = False
    """The open project's job has found notes: the roll shows them, read-only, until done."""
    preview_notes_json: str = "[]"
    preview_revision: int = 0
    """Bumped when the preview's notes change or the preview ends (the roll then reloads)."""
    preview_count: int = 0
    _watch_token: str = ""
    _seen_live: list[str] = []

    def _show_preview(self, live: LiveProgress | None, running: bool) -> None:
        """Put the running job's notes so far in the roll, or hand the roll back once it ended.

        A running job without notes to show (its preview is removed just before it ends)
        keeps the last ones, so the roll does not flash empty before the final notes.
        """
        if running and (live is None or not live.notes):
            return
        if live is not None and live.notes:
            if len(live.notes) != self.preview_count or not self.preview_active:
                rows = [note_to_row(f"preview-{k}", n) for k, n in enumerate(live.notes)]
                self.preview_notes_json = json.dumps(rows, separators=(",", ":"))
                self.preview_count = len(live.notes)
                self.preview_active = True
                self.preview_revision += 1
        elif self.preview_active:
            self.preview_active, self.preview_count = False, 0
            self.preview_notes_json = "[]"
            self.preview_revision += 1

    def _show(
        self,
        latest: dict[str, TranscriptionJob],
        editor_project_id: str,
        live: LiveProgress | None = None,
    ) -> None:
        now = utc_now()
        repo = get_services().repository
        status: dict[str, str] = {}
        live_jobs: dict[str, str] = {}
        percent: dict[str, int] = {}
        for project_id, job in latest.items():
            if is_live(job) or job.id in self._seen_live:
                status[project_id] = job_status_text(view_job(repo, job, now))
            if is_live(job):
                live_jobs[project_id] = job.id
                percent[project_id] = job.percent
        self.card_status, self.card_job, self.card_percent = status, live_jobs, percent
        shown = latest.get(editor_project_id) if editor_project_id else None
        if shown is not None and (is_live(shown) or shown.id in self._seen_live):
            job = shown
            estimate = live.estimate_s if live is not None else None
            self.job_id = job.id
            self.job_text = job_status_text(view_job(repo, job, now), estimate)
            self.job_live = is_live(job)
            self.job_failed = job.status == FAILED
            self.job_percent = job.percent
        else:
            self.job_id, self.job_text, self.job_live = "", "", False
            self.job_failed, self.job_percent = False, 0
        running = shown is not None and shown.status == RUNNING
        self._show_preview(live if running else None, running)

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
                shown = (await self.get_state(EditorState)).open_project()
                open_id = shown.id if shown is not None else ""
            if not user_id:
                return
            latest = await asyncio.to_thread(latest_job_by_project, repo, user_id)
            live = await _live_of(latest.get(open_id))
            async with self:
                seen = set(self._seen_live)
                finished = [j for j in latest.values() if j.id in seen and not is_live(j)]
                self._show(latest, open_id, live)
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
                    await (await self.get_state(ProjectsState)).refresh_shown()
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
            return await editor.fill_stored(project)

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
