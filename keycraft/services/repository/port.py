"""The Repository protocol: every storage operation the services use, nothing more."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from keycraft.services.domain import (
    DownloadQuota,
    Project,
    ProjectSummary,
    QuotaDecision,
    Session,
    User,
)
from keycraft.services.note_chunks import NoteChunksEdit
from keycraft.services.project_settings import ProjectSettings
from keycraft.services.repository.port_admin import AdminRepository
from keycraft.services.repository.port_auth import AuthRepository
from keycraft.services.repository.port_billing import BillingStore
from keycraft.services.repository.port_experiments import ExperimentsRepository
from keycraft.services.repository.port_jobs import TranscriptionJobStore


class Repository(
    AuthRepository,
    BillingStore,
    ExperimentsRepository,
    AdminRepository,
    TranscriptionJobStore,
    Protocol,
):
    """Storage for users, sessions, quotas, projects, sign-in, billing, experiments and jobs.

    Adapters translate their storage errors into :mod:`keycraft.services.errors`. Methods
    are synchronous; async callers run them in a worker thread.
    """

    # --- lifecycle -------------------------------------------------------------------
    def ping(self) -> None:
        """Raise ``RepositoryUnavailable`` if the backend cannot be reached."""
        ...

    # --- users -----------------------------------------------------------------------
    def create_user(self, user: User) -> User:
        """Store a new user and its download quota; raise ``EmailTaken`` on a duplicate."""
        ...

    def get_user(self, user_id: str) -> User | None:
        """Return the user with this id, if any."""
        ...

    def get_user_by_email(self, email: str) -> User | None:
        """Return the user with this (normalised) email, if any."""
        ...

    def update_user(self, user: User) -> User:
        """Replace a user's stored fields (email changes keep uniqueness); return it."""
        ...

    def delete_user(self, user_id: str) -> None:
        """Delete a user with their sessions, quota and projects. Missing is not an error."""
        ...

    # --- sessions --------------------------------------------------------------------
    def create_session(self, session: Session) -> None:
        """Store a new session."""
        ...

    def get_session(self, token_hash: str) -> Session | None:
        """Return the session with this token hash, expired or not."""
        ...

    def touch_session(self, token_hash: str, last_seen_at: datetime, expires_at: datetime) -> None:
        """Slide a session's expiry; a missing session is ignored."""
        ...

    def delete_session(self, token_hash: str) -> None:
        """Revoke one session. Missing is not an error."""
        ...

    def list_user_sessions(self, user_id: str) -> list[Session]:
        """Return the user's sessions, newest first."""
        ...

    def delete_user_sessions(self, user_id: str) -> int:
        """Revoke every session of the user; return how many were removed."""
        ...

    # --- download quota ---------------------------------------------------------------
    def get_quota(self, user_id: str) -> DownloadQuota:
        """Return the user's quota counters; raise ``NotFound`` for an unknown user."""
        ...

    def consume_download(self, user_id: str, limit: int, now: datetime) -> QuotaDecision:
        """Atomically take one download if ``used < limit``.

        When ``reset_date`` has passed, the window restarts first (used = 0, reset_date =
        the next monthly anniversary of the anchor after ``now``). No read-modify-write:
        concurrent callers never get more than ``limit`` grants in one window.
        """
        ...

    # --- projects ---------------------------------------------------------------------
    def create_project(self, project: Project) -> Project:
        """Store a new project."""
        ...

    def get_project(self, user_id: str, project_id: str) -> Project | None:
        """Return the user's project, or None if missing or owned by someone else."""
        ...

    def list_projects(self, user_id: str) -> list[ProjectSummary]:
        """Return the user's projects, most recently updated first."""
        ...

    def save_project(self, project: Project, expected_version: int) -> Project:
        """Replace a project if its stored version is ``expected_version``.

        Returns the stored project with ``version`` incremented. Raises ``Conflict`` when
        another save landed first and ``NotFound`` when the project is gone.
        """
        ...

    def save_project_edit(
        self, project: Project, expected_version: int, edit: NoteChunksEdit
    ) -> Project:
        """Store an editor save in proportion to the edit, if the stored version matches.

        Writes ``project``'s metadata (title, tempo, metre, recording, ``updated_at``), the
        note chunks of ``edit`` (each replaces what was stored in that chunk; the other
        chunks are kept) and, only when ``edit.content_changed``, its pedal, later tempo and
        metre changes and beat track. ``project.notes`` is not read. All of it lands at once
        or not at all. Returns ``project`` with ``version`` incremented (its ``notes`` as
        given). Raises ``Conflict`` and ``NotFound`` like :meth:`save_project`.
        """
        ...

    def save_project_settings(
        self, user_id: str, project_id: str, settings: ProjectSettings
    ) -> None:
        """Replace only a project's settings: no version bump, notes and maps untouched.

        Raises ``NotFound`` when the user has no such project.
        """
        ...

    def save_project_key(self, user_id: str, project_id: str, key_name: str | None) -> None:
        """Replace only the key the learner chose (None: estimated); no version bump.

        Raises ``NotFound`` when the user has no such project.
        """
        ...

    def delete_project(self, user_id: str, project_id: str) -> None:
        """Delete the user's project. Missing is not an error."""
        ...
