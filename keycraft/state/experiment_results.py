"""The staff results page: per-variant numbers of every declared experiment."""

from __future__ import annotations

import asyncio

import reflex as rx

from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import DomainError
from keycraft.services.experiments.catalog import EXPERIMENTS
from keycraft.services.experiments.report import ResultsView, results_views
from keycraft.services.staff import is_staff
from keycraft.state.auth import AuthState

UNAVAILABLE = "Results are unavailable right now. Try again in a minute."


class ExperimentResultsState(rx.State):
    """Formatted results, loaded only for staff."""

    allowed: bool = False
    checked: bool = False
    error: str = ""
    rows: dict[str, list[dict[str, str]]] = {}
    summaries: dict[str, dict[str, str]] = {}

    @rx.event
    async def load(self) -> None:
        """Check the staff role on the server, then read every experiment's tallies."""
        auth = await self.get_state(AuthState)
        repo = get_services().repository
        self.rows, self.summaries, self.error = {}, {}, ""
        try:
            self.allowed = await asyncio.to_thread(is_staff, repo, auth.user_id)
            if self.allowed:
                views: list[ResultsView] = await asyncio.to_thread(
                    results_views, repo, EXPERIMENTS, utc_now()
                )
                self.rows = {view.key: view.rows for view in views}
                self.summaries = {view.key: view.summary for view in views}
        except DomainError:
            self.error = UNAVAILABLE
        self.checked = True
