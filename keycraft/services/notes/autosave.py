"""Autosave: at most one save in flight, edits during it coalesced into one more.

Edits apply to the editing session at once (one undo step each). An edit made while
nothing else is pending is saved inline, the quickest path. When the browser reports
several earlier events still unacknowledged (a key-repeat burst), or a save is running,
one background saver writes the latest notes, coalescing everything that arrives while
it writes; never more than one save is in flight.

A save writes what changed since the last one, not the whole piece: the note chunks
(``note_chunks``) the edits touched, taken from the session when the save begins (and
given back to it if the save fails), and the pedal and maps only when they changed. An
edit touching more chunks than an overlay save holds (an import, a retime) saves every note.

The tracker is plain data (picklable) kept in the editor state. The browser numbers its
edits; the tracker says which number the latest finished save covers, so the page knows
whether anything is still unsaved. An export asked for while a save runs waits for it here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from keycraft.services import projects
from keycraft.services.domain import Note, PedalSpan, Project
from keycraft.services.note_chunks import MAX_OVERLAY_CHUNKS, NoteChunksEdit
from keycraft.services.notes.session import EditingSession
from keycraft.services.repository.port import Repository

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
    stored_content_key: int | None = None
    """``content_key`` of the pedal and maps as last stored (None: unknown, so write them)."""

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

    @property
    def unsaved(self) -> bool:
        """Whether anything is unsaved or still being saved."""
        return self.dirty or self.in_flight_since_s is not None

    def saves_inline(self, burst: bool) -> bool:
        """Whether an edit just made is saved inline: not in a burst, and no saver running."""
        return not burst and self.in_flight_since_s is None

    def start_saver(self, now_s: float) -> bool:
        """Whether a saver must start now; if so it is marked as started (see ``claim``)."""
        if not self.needs_saver(now_s):
            return False
        self.claim(now_s)
        return True

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

    def finished(self, ticket: SaveTicket, content_key: int | None = None) -> None:
        """Record a successful save of ``ticket`` (which stored content ``content_key``)."""
        if content_key is not None:
            self.stored_content_key = content_key
        self.saved_edit_count = max(self.saved_edit_count, ticket.edit_count)
        self.saved_client_seq = max(self.saved_client_seq, ticket.client_seq)
        if not self.dirty:
            self.saved_client_seq = self.client_seq

    def finished_inline(self, ticket: SaveTicket, content_key: int | None = None) -> None:
        """Record a successful inline save: it covered everything and no saver runs."""
        self.finished(ticket, content_key)
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

    def reset(self, content_key: int | None = None) -> None:
        """Forget everything (a project was (re)loaded from storage, with ``content_key``)."""
        self.stored_content_key = content_key
        self.edit_count = self.saved_edit_count = 0
        self.in_flight_since_s = None
        self.export_wanted = False


def content_key(project: Project, pedals: tuple[PedalSpan, ...]) -> int:
    """A fingerprint of what a save writes beside the notes: pedal, maps and beat track."""
    return hash((pedals, project.tempo_changes, project.time_signature_changes, project.beat_track))


@dataclass(frozen=True, slots=True)
class SaveJob:
    """One save to write: the open project, what changed of its notes, and its pedal.

    ``edit`` holds the touched note chunks, or is None when every note is written
    (``notes``); ``chunk_indexes`` are the chunks the session gave the job.
    """

    ticket: SaveTicket
    project: Project
    pedals: tuple[PedalSpan, ...]
    edit: NoteChunksEdit | None
    notes: tuple[Note, ...] = ()
    chunk_indexes: frozenset[int] = frozenset()
    content_key: int = 0


def save_job(
    tracker: AutosaveTracker,
    project: Project | None,
    session: EditingSession | None,
    now_s: float,
) -> SaveJob | None:
    """Begin the next save of ``project``; None when nothing is left to save (or no project).

    The session's edited chunks move into the job (``EditingSession.take_dirty_chunks``).
    """
    ticket = tracker.begin(now_s)
    if ticket is None or project is None or session is None:
        return None
    indexes = session.take_dirty_chunks()
    key = content_key(project, session.pedals)
    if len(indexes) > MAX_OVERLAY_CHUNKS:
        notes = tuple(session.notes.values())
        return SaveJob(ticket, project, session.pedals, None, notes, indexes, key)
    # A tracker pickled before the key existed has none: the content is written once.
    stored_key = getattr(tracker, "stored_content_key", None)
    edit = NoteChunksEdit(session.chunk_notes(indexes), len(session.notes), key != stored_key)
    return SaveJob(ticket, project, session.pedals, edit, (), indexes, key)


def run_save(repo: Repository, job: SaveJob, now: datetime) -> Project:
    """Store what the job changed over its project; blocking, so run it in a thread.

    Raises:
        DomainError: the save was refused (``Conflict``, ``NotFound``, a bad pedal...).
    """
    if job.edit is None:
        return projects.save_content(repo, job.project, job.notes, now, pedals=job.pedals)
    return projects.save_edit(repo, job.project, job.edit, now, pedals=job.pedals)


def after_save(open_project: Project, saved: Project) -> Project:
    """The open project once ``saved`` is stored.

    Title, tempo and metre may have changed while the save ran: they are kept, with the
    stored version (the pedal lives in the session; the project keeps what is stored).
    """
    return replace(
        open_project, version=saved.version, updated_at=saved.updated_at, pedals=saved.pedals
    )
