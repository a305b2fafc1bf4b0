"""Autosave bookkeeping: at most one save in flight, edits during it coalesced into one more.

Plain data (picklable) kept in the editor state. The browser numbers its edits; the
tracker says which number the latest finished save covers, so the page knows whether
anything is still unsaved. An export asked for while a save runs waits for it here.
"""

from __future__ import annotations

from dataclasses import dataclass

STALE_SAVE_S = 30.0
"""A save running longer than this is taken as lost (e.g. its worker restarted)."""


@dataclass(frozen=True, slots=True)
class SaveTicket:
    """One save to run: it covers every edit up to ``edit_count`` and client ``client_seq``."""

    edit_count: int
    client_seq: int


@dataclass(slots=True)
class AutosaveTracker:
    """Counts edits and saves for one open project."""

    edit_count: int = 0
    saved_edit_count: int = 0
    client_seq: int = 0
    saved_client_seq: int = 0
    in_flight_since_s: float | None = None
    export_wanted: bool = False

    def received(self, client_seq: int | None) -> None:
        """Note the number of an event from the browser (edit or not)."""
        if client_seq is not None and client_seq > self.client_seq:
            self.client_seq = client_seq
        if not self.dirty and self.in_flight_since_s is None:
            # Nothing to save: everything received so far is as saved as it gets.
            self.saved_client_seq = self.client_seq

    def edited(self) -> None:
        """Note one more edit that needs saving."""
        self.edit_count += 1

    @property
    def dirty(self) -> bool:
        """Whether an edit has not been saved yet."""
        return self.edit_count > self.saved_edit_count

    def needs_saver(self, now_s: float) -> bool:
        """Whether a saver must be started: dirty and none running (or the last one stale)."""
        running = self.in_flight_since_s is not None and now_s - self.in_flight_since_s < (
            STALE_SAVE_S
        )
        return self.dirty and not running

    def claim(self, now_s: float) -> None:
        """Mark a saver as started, so further edits only wait for it."""
        self.in_flight_since_s = now_s

    def begin(self, now_s: float) -> SaveTicket | None:
        """Start saving everything so far; None (and the saver stops) when all is saved."""
        if not self.dirty:
            self.in_flight_since_s = None
            return None
        self.in_flight_since_s = now_s
        return SaveTicket(self.edit_count, self.client_seq)

    def finished(self, ticket: SaveTicket) -> None:
        """Record a successful save of ``ticket``."""
        self.saved_edit_count = max(self.saved_edit_count, ticket.edit_count)
        self.saved_client_seq = max(self.saved_client_seq, ticket.client_seq)
        if not self.dirty:
            self.saved_client_seq = self.client_seq

    def finished_inline(self, ticket: SaveTicket) -> None:
        """Record a successful inline save: it covered everything and no saver runs."""
        self.finished(ticket)
        self.in_flight_since_s = None

    def failed(self) -> None:
        """Record a failed save: the saver stops; the next edit tries again.

        A wanted export is dropped: it would download notes older than the page shows.
        """
        self.in_flight_since_s = None
        self.export_wanted = False

    def want_export(self) -> None:
        """Note that an export waits for the running save to finish."""
        self.export_wanted = True

    def take_export(self) -> bool:
        """Whether a wanted export can run now (everything saved, no save running).

        True at most once per ``want_export``: the export is then no longer wanted.
        """
        ready = self.export_wanted and not self.dirty and self.in_flight_since_s is None
        if ready:
            self.export_wanted = False
        return ready

    def reset(self) -> None:
        """Forget everything (a project was (re)loaded from storage)."""
        self.edit_count = self.saved_edit_count = 0
        self.in_flight_since_s = None
        self.export_wanted = False
