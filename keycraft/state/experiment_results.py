"""The staff experiments page's data: each experiment's lifecycle, results and history."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from keycraft.services.auth.staff import is_staff
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import DomainError
from keycraft.services.experiments.admin_report import AdminView, admin_views
from keycraft.services.experiments.live import live_experiments
from keycraft.services.repository.port import Repository
from keycraft.state.auth import AuthState

UNAVAILABLE = "Results are unavailable right now. Try again in a minute."


def _views(repo: Repository) -> list[AdminView]:
    return admin_views(repo, live_experiments(repo, fresh=True), utc_now())


class ExperimentResultsState(rx.State):
    """Formatted views of every experiment, loaded only for staff."""

    allowed: bool = False
    checked: bool = False
    error: str = ""
    rows: dict[str, list[dict[str, str]]] = {}
    guardrail_rows: dict[str, list[dict[str, str]]] = {}
    summaries: dict[str, dict[str, str]] = {}
    history: dict[str, list[dict[str, Any]]] = {}
    previews: dict[str, list[dict[str, str]]] = {}
    weights: dict[str, dict[str, str]] = {}

    async def refresh(self) -> None:
        """Check the staff role on the server, then read and analyse every experiment."""
        auth = await self.get_state(AuthState)
        repo = get_services().repository
        self.error = ""
        try:
            self.allowed = await asyncio.to_thread(is_staff, repo, auth.user_id)
            views: list[AdminView] = await asyncio.to_thread(_views, repo) if self.allowed else []
        except DomainError:
            views = []
            self.error = UNAVAILABLE
        self.rows = {view.key: view.rows for view in views}
        self.guardrail_rows = {view.key: view.guardrail_rows for view in views}
        self.summaries = {view.key: view.summary for view in views}
        self.history = {view.key: view.history for view in views}
        self.previews = {view.key: view.previews for view in views}
        self.weights = {view.key: view.weights for view in views}
        self.checked = True

    @rx.event
    async def load(self) -> None:
        """On page load: show staff every experiment as it runs now."""
        await self.refresh()
