"""The project list: create, open, rename, duplicate and delete the user's projects."""

from __future__ import annotations

import asyncio

import reflex as rx
from pydantic import BaseModel
from reflex.event import EventSpec

from keycraft.routes import editor_url
from keycraft.services import projects
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.domain import ProjectSummary
from keycraft.services.errors import DomainError, NotFound
from keycraft.state.auth import AuthState, signed_in_user_id

MESSAGES: dict[type[DomainError], str] = {
    projects.InvalidTitle: "A title needs 1 to 120 characters.",
    NotFound: "That project no longer exists.",
}
FALLBACK_MESSAGE = "Something went wrong. Please try again."


class ProjectRow(BaseModel):
    """What one row of the list shows."""

    id: str
    title: str
    note_count: int
    updated: str
    href: str


def _row(summary: ProjectSummary) -> ProjectRow:
    return ProjectRow(
        id=summary.id,
        title=summary.title,
        note_count=summary.note_count,
        updated=summary.updated_at.strftime("%d %b %Y, %H:%M"),
        href=editor_url(summary.id),
    )


class ProjectsState(rx.State):
    """The signed-in user's projects, newest first."""

    rows: rx.Field[list[ProjectRow]] = rx.field(default_factory=list)
    loaded: bool = False
    message: str = ""
    new_title: str = ""
    rename_id: str = ""
    rename_title: str = ""
    delete_id: str = ""

    async def _user_id(self) -> str:
        return (await self.get_state(AuthState)).user_id

    async def refresh_shown(self) -> None:
        """Read the signed-in user's list again if it is shown (a job finished meanwhile)."""
        user_id = await signed_in_user_id(await self.get_state(AuthState))
        if self.loaded and user_id:
            await self._refresh(user_id)

    async def _refresh(self, user_id: str) -> None:
        summaries = await asyncio.to_thread(
            projects.list_projects, get_services().repository, user_id
        )
        self.rows = [_row(s) for s in summaries]
        self.loaded = True

    def _fail(self, error: DomainError) -> None:
        self.message = next(
            (m for t, m in MESSAGES.items() if isinstance(error, t)), FALLBACK_MESSAGE
        )

    @rx.event
    async def load(self) -> None:
        """List the user's projects once the user is known."""
        user_id = await self._user_id()
        self.message = ""
        if user_id:
            await self._refresh(user_id)

    @rx.event
    def set_new_title(self, value: str) -> None:
        """Track the new-project title field."""
        self.new_title = value

    @rx.event
    async def create(self) -> EventSpec | None:
        """Create a project and open it in the editor."""
        user_id = await self._user_id()
        if not user_id:
            return None
        try:
            project = await asyncio.to_thread(
                projects.create_project,
                get_services().repository,
                user_id,
                self.new_title.strip() or projects.DEFAULT_TITLE,
                utc_now(),
            )
        except DomainError as exc:
            self._fail(exc)
            return None
        self.new_title = ""
        return rx.redirect(editor_url(project.id))

    @rx.event
    def start_rename(self, project_id: str, title: str) -> None:
        """Open the rename dialog for one project."""
        self.rename_id = project_id
        self.rename_title = title

    @rx.event
    def set_rename_title(self, value: str) -> None:
        """Track the rename field."""
        self.rename_title = value

    @rx.event
    def cancel_dialogs(self) -> None:
        """Close the rename and delete dialogs."""
        self.rename_id = ""
        self.delete_id = ""

    @rx.event
    async def confirm_rename(self) -> None:
        """Rename the project chosen in the dialog."""
        user_id = await self._user_id()
        try:
            await asyncio.to_thread(
                projects.rename_project,
                get_services().repository,
                user_id,
                self.rename_id,
                self.rename_title,
                utc_now(),
            )
        except DomainError as exc:
            self._fail(exc)
            return
        self.rename_id = ""
        await self._refresh(user_id)

    @rx.event
    async def duplicate(self, project_id: str) -> None:
        """Copy a project."""
        user_id = await self._user_id()
        services = get_services()
        try:
            await asyncio.to_thread(
                projects.duplicate_project,
                services.repository,
                services.storage,
                user_id,
                project_id,
                utc_now(),
            )
        except DomainError as exc:
            self._fail(exc)
            return
        await self._refresh(user_id)

    @rx.event
    def ask_delete(self, project_id: str) -> None:
        """Open the delete confirmation for one project."""
        self.delete_id = project_id

    @rx.event
    async def confirm_delete(self) -> None:
        """Delete the project chosen in the confirmation."""
        user_id = await self._user_id()
        services = get_services()
        await asyncio.to_thread(
            projects.delete_project,
            services.repository,
            services.storage,
            user_id,
            self.delete_id,
        )
        self.delete_id = ""
        await self._refresh(user_id)
