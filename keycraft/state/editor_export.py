"""MIDI export from the editor and the monthly download quota its menu shows."""

from __future__ import annotations

import asyncio

import reflex as rx
from reflex.event import EventSpec

from keycraft.services import downloads
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.domain import QuotaDecision
from keycraft.services.errors import DomainError, NotFound
from keycraft.services.metrics import DOWNLOADS
from keycraft.state.auth import AuthState
from keycraft.state.editor_base import MESSAGES
from keycraft.state.editor_save import SAVED, EditorSaveMixin

SAVING_BEFORE_EXPORT_MESSAGE = "Saving before export…"
"""Shown while an export waits for the running save; the download starts when it ends."""


class EditorExportMixin(EditorSaveMixin, mixin=True):
    """Exports the saved project; waits for a running save, counts each download."""

    downloads_used: int = 0
    downloads_limit: int = 0
    downloads_reset: str = ""
    upgrade_open: bool = False

    @rx.var
    def downloads_left(self) -> int:
        """MIDI downloads left this month (the export menu's meter)."""
        return max(0, self.downloads_limit - self.downloads_used)

    @rx.event
    def set_upgrade_open(self, value: bool) -> None:
        """Show or hide the "out of downloads" dialog."""
        self.upgrade_open = bool(value)

    def _show_quota(self, quota: downloads.QuotaStatus | QuotaDecision) -> None:
        self.downloads_used = quota.used
        self.downloads_limit = quota.limit
        self.downloads_reset = f"{quota.reset_date:%d %b %Y}"

    async def _refresh_quota(self, user_id: str) -> None:
        services = get_services()
        status = await asyncio.to_thread(
            downloads.quota_status,
            services.repository,
            user_id,
            utc_now(),
            plans=services.plans.plans,
        )
        if status is not None:
            self._show_quota(status)

    @rx.event
    async def export_midi(self) -> EventSpec | None:
        """Download the saved project as MIDI (the server counts the download).

        While the background saver runs, the export waits for it: the saver starts the
        download once the latest notes are stored, or drops it if the save fails.
        """
        if self._project is None:
            return None
        if self._autosave.in_flight_since_s is not None:
            self._autosave.want_export()
            self.message = SAVING_BEFORE_EXPORT_MESSAGE
            # Restarts a saver taken as lost; a running one is left to finish.
            return self._start_saver()
        if self._autosave.dirty:
            await self._save_now()
            if self.save_status != SAVED:
                return None
        return await self._download()

    async def _when_all_saved(self) -> EventSpec | None:
        """Start the export that waited for the saver, if one did."""
        return await self._download() if self._autosave.take_export() else None

    async def _download(self) -> EventSpec | None:
        """Store the saved project's MIDI and start its download, counting one.

        A failure before the download is counted shows a message and leaves the meter as
        it is; none left opens the upgrade dialog.
        """
        if self._project is None:
            return None
        if self.message == SAVING_BEFORE_EXPORT_MESSAGE:
            self.message = ""
        auth = await self.get_state(AuthState)
        services = get_services()
        try:
            delivered = await asyncio.to_thread(
                downloads.export_project_midi,
                services.repository,
                services.storage,
                auth.user_id,
                self._project.id,
                utc_now(),
                link_ttl_s=services.settings.download_link_ttl_s,
                plans=services.plans.plans,
            )
        except downloads.QuotaExhausted:
            await self._refresh_quota(auth.user_id)
            self.upgrade_open = True
            return None
        except DomainError as exc:
            self.message = (
                MESSAGES[NotFound] if isinstance(exc, NotFound) else downloads.EXPORT_FAILED_MESSAGE
            )
            await self._refresh_quota(auth.user_id)
            return None
        DOWNLOADS.labels(services.settings.storage).inc()
        if self.message == downloads.EXPORT_FAILED_MESSAGE:
            self.message = ""
        self._show_quota(delivered.quota)
        # A Var, not a str: rx.download takes only app paths as plain strings, and the link
        # may be a presigned S3 or CloudFront URL.
        return rx.download(url=rx.Var.create(delivered.url), filename=delivered.filename)
