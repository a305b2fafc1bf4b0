"""The editor page: loads a project, applies coarse commits, saves, imports and exports."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from functools import partial
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from keycraft.routes import PROJECTS, project_audio_url
from keycraft.services import downloads, projects
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.domain import (
    BeatTrack,
    Note,
    PedalSpan,
    Project,
    ProjectTiming,
    TimeSignature,
    TimeSignatureChange,
)
from keycraft.services.errors import Conflict, DomainError, NotFound
from keycraft.services.metrics import DOWNLOADS
from keycraft.services.notes import beat_map, edits
from keycraft.services.notes.autosave import AutosaveTracker, SaveTicket
from keycraft.services.notes.grid import DEFAULT_GRID, SNAP_GRIDS, grid_by_key
from keycraft.services.notes.loop import bar_beat_label
from keycraft.services.notes.midi_io import (
    InvalidMidiFile,
    NoNotesInMidi,
    UnsupportedMidiFile,
)
from keycraft.services.notes.pedal import InvalidPedal
from keycraft.services.notes.session import EditingSession, ServerEdit
from keycraft.services.notes.timing import bar_start_tick
from keycraft.services.project_settings import ProjectSettings, speed_percent_for_tempo
from keycraft.state.auth import AuthState

SNAP_OPTIONS: list[str] = [g.key for g in SNAP_GRIDS]
TIME_SIGNATURE_OPTIONS: list[str] = ["2/4", "3/4", "4/4", "5/4", "6/8", "7/8", "9/8", "12/8"]

SAVED, SAVING, SAVE_FAILED = "saved", "saving", "failed"

MESSAGES: dict[type[DomainError], str] = {
    Conflict: "This project was changed in another tab. Reload the page to continue.",
    NotFound: "This project no longer exists.",
    edits.InvalidEdit: "That edit would put a note outside the piano's range.",
    edits.TooManyNotes: f"A project can hold at most {edits.MAX_NOTES:,} notes.",
    InvalidMidiFile: "That file is not a MIDI file, or it is damaged. Nothing was imported.",
    UnsupportedMidiFile: "Type 2 MIDI files are not supported. Nothing was imported.",
    NoNotesInMidi: "That MIDI file has no piano notes. Nothing was imported.",
    projects.InvalidTitle: "A title needs 1 to 120 characters.",
    projects.InvalidTempo: "Tempo must be between 20 and 400 BPM.",
    projects.InvalidTimeSignature: "That time signature is not supported. Nothing was imported.",
    projects.InvalidTempoMap: "Too many tempo or metre changes in that file. Nothing was imported.",
    InvalidPedal: "That file's sustain pedal cannot be read. Nothing was imported.",
}
PEDAL_EDIT_MESSAGE = "Pedal spans cannot overlap or be empty. The pedal was not changed."
SAVE_FAILED_MESSAGE = "Could not save. Your changes are kept here and saved with your next edit."
SAVING_BEFORE_EXPORT_MESSAGE = "Saving before export…"
"""Shown while an export waits for the running save; the download starts when it ends."""
TOOLS = ("draw", "select")
PRACTICE_SPEEDS_PERCENT = (50, 60, 70, 75, 80, 90, 100)
"""Practice speeds the menu offers, in percent of the written tempo."""
BURST_UNACKED = 2
"""Unacknowledged earlier events from which an edit is saved by the coalescing saver."""


def error_message(error: DomainError) -> str:
    """The fixed sentence the editor shows for ``error``."""
    return next((m for t, m in MESSAGES.items() if isinstance(error, t)), SAVE_FAILED_MESSAGE)


class EditorState(rx.State):
    """One open project. Notes live in the backend-only ``_session``; vars stay small."""

    project_id: str = ""
    title: str = ""
    loaded: bool = False
    missing: bool = False
    tempo_bpm: rx.Field[float] = rx.field(120.0)
    time_signature: rx.Field[str] = rx.field("4/4")
    # The whole maps for the roll, first entry at tick 0: [[tick, bpm], ...] and
    # [[tick, numerator, denominator], ...]. Small, and sent only when tempo or metre change.
    tempo_map_json: rx.Field[str] = rx.field("[[0,120.0]]")
    time_signature_map_json: rx.Field[str] = rx.field("[[0,4,4]]")
    tempo_change_count: int = 0
    time_signature_change_count: int = 0
    # How tracked beats are read (``beat_map.reading_summary``); all "" without beats.
    beat_reading: rx.Field[dict[str, str]] = rx.field(
        default_factory=lambda: beat_map.reading_summary(BeatTrack())
    )
    snap: rx.Field[str] = rx.field(DEFAULT_GRID.key)
    tool: str = "draw"
    show_note_names: bool = False
    metronome: bool = False
    loop_enabled: bool = False
    loop_start_tick: rx.Field[int] = rx.field(0)
    loop_end_tick: rx.Field[int] = rx.field(4 * 1920)
    volume_db: float = -6.0
    midi_muted: bool = False
    audio_muted: bool = False
    has_audio: bool = False
    # Practice speed (notes and recording together) and the roll's zoom, restored with the
    # project; the roll takes the zoom when ``view_revision`` changes (once per open).
    practice_speed_percent: rx.Field[int] = rx.field(100)
    px_per_beat: float = 96.0
    key_height_px: float = 12.0
    view_revision: rx.Field[int] = rx.field(0)
    # A tempo typed for a project with a recording waits here until the learner chooses.
    tempo_prompt_bpm: rx.Field[float] = rx.field(0.0)
    tempo_prompt_open: bool = False
    tempo_field_revision: rx.Field[int] = rx.field(0)
    # Bumped when a typed loop bound is not a bar or bar:beat, so the inputs show the loop again.
    loop_field_revision: rx.Field[int] = rx.field(0)
    velocity: int = 90

    notes_json: str = "[]"
    # The pedal spans as JSON rows {start_tick, end_tick}, read by the roll with the notes.
    pedals_json: str = "[]"
    load_revision: rx.Field[int] = rx.field(0)
    patch_json: str = ""
    patch_seq: int = 0

    note_count: int = 0
    selection_count: int = 0
    can_undo: bool = False
    can_redo: bool = False
    save_status: str = SAVED
    saved_seq: int = 0
    message: str = ""
    help_open: bool = False
    downloads_used: int = 0
    downloads_limit: int = 0
    downloads_reset: str = ""
    upgrade_open: bool = False

    _session: EditingSession | None = None
    _project: Project | None = None
    _selected: tuple[str, ...] = ()
    _autosave: AutosaveTracker = AutosaveTracker()

    # --- views -------------------------------------------------------------------------
    @rx.var
    def snap_ticks(self) -> int:
        """The snap grid step in ticks (0 = off)."""
        return grid_by_key(self.snap).step_ticks

    @rx.var
    def beats_per_bar(self) -> int:
        """Time signature numerator."""
        return int(self.time_signature.split("/")[0])

    @rx.var
    def beat_unit(self) -> int:
        """Time signature denominator."""
        return int(self.time_signature.split("/")[1])

    @rx.var
    def loop_start_bar(self) -> str:
        """The loop start as "bar" or "bar:beat" for its input (both count from 1)."""
        return bar_beat_label(self.loop_start_tick, self._signature_map())

    @rx.var
    def loop_end_bar(self) -> str:
        """Where the loop ends (exclusive), as "bar" or "bar:beat", for its input."""
        return bar_beat_label(self.loop_end_tick, self._signature_map())

    @rx.var
    def practice_speed(self) -> float:
        """The practice speed as a playback rate for the roll (0.5 to 1.0)."""
        return self.practice_speed_percent / 100

    @rx.var
    def practice_speed_label(self) -> str:
        """The practice speed as its menu shows it ("75%")."""
        return f"{self.practice_speed_percent}%"

    @rx.var
    def practice_speed_options(self) -> list[str]:
        """The speeds the menu offers, with the current one even when it is not a round one."""
        percents = sorted({*PRACTICE_SPEEDS_PERCENT, self.practice_speed_percent})
        return [f"{p}%" for p in percents]

    @rx.var
    def tempo_prompt_speed_percent(self) -> int:
        """The practice speed the prompted tempo would be; 0 when out of range (50–100 %)."""
        return speed_percent_for_tempo(self.tempo_bpm, self.tempo_prompt_bpm) or 0

    @rx.var
    def tempo_map_note(self) -> str:
        """What the tempo field does to a piece with tempo changes ('' without any)."""
        if not self.tempo_change_count:
            return ""
        changes = "change" if self.tempo_change_count == 1 else "changes"
        return f"{self.tempo_change_count} later tempo {changes} scale with this tempo"

    @rx.var
    def time_signature_map_note(self) -> str:
        """Which bars the metre menu sets when the piece changes metre ('' when it does not)."""
        if not self.time_signature_change_count:
            return ""
        changes = "change" if self.time_signature_change_count == 1 else "changes"
        return f"until the first of {self.time_signature_change_count} metre {changes}"

    @rx.var
    def audio_url(self) -> str:
        """The original recording's URL, or '' when the project has none."""
        return project_audio_url(self.project_id) if self.has_audio else ""

    @rx.var
    def save_label(self) -> str:
        """What the saved indicator says."""
        return {SAVED: "Saved", SAVING: "Saving…", SAVE_FAILED: "Not saved"}[self.save_status]

    def _signature_map(self) -> tuple[TimeSignatureChange, ...]:
        rows = json.loads(self.time_signature_map_json)
        return tuple(TimeSignatureChange(int(t), int(n), int(d)) for t, n, d in rows)

    def _bar_start_tick(self, bar_number: int) -> int:
        """Where bar ``bar_number`` (from 1) starts under the project's time signatures."""
        return bar_start_tick(max(1, bar_number), self._signature_map())

    # --- loading -----------------------------------------------------------------------
    @rx.event
    async def load(self) -> None:
        """Open the project named in the URL, once the user is known."""
        auth = await self.get_state(AuthState)
        self.loaded = False
        self.missing = False
        self.message = ""
        if not auth.user_id:
            return
        project_id = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        cached = self._project
        if (
            cached
            and cached.id == project_id
            and cached.user_id == auth.user_id
            and self._unsaved()
        ):
            # A reload right after an edit: the notes here are newer than storage's, and
            # the save still running will store them.
            self._show_session()
            return
        repo = get_services().repository
        try:
            project = await asyncio.to_thread(projects.open_project, repo, auth.user_id, project_id)
        except NotFound:
            self.missing = True
            return
        self._show(project)
        await self._refresh_quota(auth.user_id)

    def _show(self, project: Project) -> None:
        self._project = project
        self._session = EditingSession(project.notes, project.pedals)
        self._autosave.reset()
        self._show_settings(project.settings)
        self._show_session()

    def _show_settings(self, settings: ProjectSettings) -> None:
        """Show the settings the project was left with."""
        self.loop_enabled = settings.loop_enabled
        self.loop_start_tick = settings.loop_start_tick
        self.loop_end_tick = settings.loop_end_tick
        self.metronome = settings.metronome
        self.practice_speed_percent = settings.practice_speed_percent
        self.px_per_beat = settings.px_per_beat
        self.key_height_px = settings.key_height_px
        self.snap = settings.snap
        self.show_note_names = settings.show_note_names
        self.volume_db = settings.volume_db
        self.midi_muted = settings.midi_muted
        self.audio_muted = settings.audio_muted
        self.view_revision += 1

    def current_settings(self) -> ProjectSettings:
        """The settings as the editor shows them now."""
        return ProjectSettings(
            loop_enabled=self.loop_enabled,
            loop_start_tick=self.loop_start_tick,
            loop_end_tick=self.loop_end_tick,
            metronome=self.metronome,
            practice_speed_percent=self.practice_speed_percent,
            px_per_beat=self.px_per_beat,
            key_height_px=self.key_height_px,
            snap=self.snap,
            show_note_names=self.show_note_names,
            volume_db=self.volume_db,
            midi_muted=self.midi_muted,
            audio_muted=self.audio_muted,
        )

    def _show_session(self) -> None:
        project, session = self._project, self._session
        if project is None or session is None:
            return
        self._selected = ()
        self.project_id = project.id
        self.title = project.title
        self._show_maps(project)
        self.has_audio = project.source_audio_key is not None
        self._reload_notes()
        self.patch_json = ""
        self.save_status = SAVING if self._unsaved() else SAVED
        self.saved_seq = self._autosave.saved_client_seq
        self.loaded = True
        self._refresh_counts()

    def _show_maps(self, project: Project) -> None:
        """Show ``project``'s tempo and metre (tick 0 values and whole maps)."""
        self.tempo_bpm = project.tempo_bpm
        ts = project.time_signature
        self.time_signature = f"{ts.numerator}/{ts.denominator}"
        tempos = [[c.tick, c.tempo_bpm] for c in project.tempo_map]
        signatures = [[c.tick, c.numerator, c.denominator] for c in project.time_signature_map]
        self.tempo_map_json = json.dumps(tempos, separators=(",", ":"))
        self.time_signature_map_json = json.dumps(signatures, separators=(",", ":"))
        self.tempo_change_count = len(project.tempo_changes)
        self.time_signature_change_count = len(project.time_signature_changes)
        self.beat_reading = beat_map.reading_summary(project.beat_track)

    def _take_timing(self, timing: ProjectTiming) -> None:
        """Read the project under ``timing`` (a metre correction, or its undo or redo)."""
        if self._project is not None:
            self._project = self._project.with_timing(timing)
            self._show_maps(self._project)

    def _refresh_counts(self) -> None:
        session = self._session
        self.note_count = len(session.notes) if session else 0
        self.can_undo = bool(session and session.can_undo)
        self.can_redo = bool(session and session.can_redo)
        self.selection_count = len(self._selected)

    # --- saving ------------------------------------------------------------------------
    # Edits apply to the session at once (one undo step each). An edit made while nothing
    # else is pending is saved inline, the quickest path. When the browser reports several
    # earlier events still unacknowledged (a key-repeat burst), or a save is running, one
    # background saver writes the latest notes, coalescing everything that arrives while
    # it writes; never more than one save is in flight.
    def _unsaved(self) -> bool:
        return self._autosave.dirty or self._autosave.in_flight_since_s is not None

    def _received(self, event: dict[str, Any]) -> None:
        seq = event.get("seq")
        self._autosave.received(seq if isinstance(seq, int) else None)
        self.saved_seq = self._autosave.saved_client_seq

    async def _after_edit(
        self, burst: bool = False, event: dict[str, Any] | None = None
    ) -> EventSpec | None:
        """Save an edit: inline when idle, else through the coalescing background saver.

        ``event`` is the browser event that made the edit; it is counted only after the
        edit, so its acknowledgement waits for the save.
        """
        self._autosave.edited()
        if event is not None:
            self._received(event)
        if not burst and self._autosave.in_flight_since_s is None:
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
        now_s = time.time()
        if not self._autosave.needs_saver(now_s):
            return None
        self._autosave.claim(now_s)
        return EditorState.autosave

    def _begin_save(self) -> tuple[SaveTicket, Project, list[Note], tuple[PedalSpan, ...]] | None:
        ticket = self._autosave.begin(time.time())
        # Assigned, not only mutated in place, so a Redis-held state stores the tracker.
        self.saved_seq = self._autosave.saved_client_seq
        if ticket is None or self._project is None or self._session is None:
            return None
        self.save_status = SAVING
        session = self._session
        return ticket, self._project, list(session.notes.values()), session.pedals

    def _end_save(
        self,
        ticket: SaveTicket,
        saved: Project | None,
        error: DomainError | None,
        inline: bool = False,
    ) -> None:
        if error is not None or saved is None or self._project is None:
            self._autosave.failed()
            self.save_status = SAVE_FAILED
            self.message = error_message(error) if error is not None else SAVE_FAILED_MESSAGE
            return
        # Title, tempo and metre may have changed while the save ran: keep them, take the
        # stored version (the pedal lives in the session; the project keeps what is stored).
        self._project = replace(
            self._project, version=saved.version, updated_at=saved.updated_at, pedals=saved.pedals
        )
        if inline:
            self._autosave.finished_inline(ticket)
        else:
            self._autosave.finished(ticket)
        self.saved_seq = self._autosave.saved_client_seq
        if not self._autosave.dirty:
            self.save_status = SAVED
            if self.message == SAVE_FAILED_MESSAGE:
                self.message = ""

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
                    return await self._download() if self._autosave.take_export() else None
            ticket, project, notes, pedals = job
            saved: Project | None = None
            error: DomainError | None = None
            try:
                saved = await asyncio.to_thread(
                    partial(projects.save_content, pedals=pedals), repo, project, notes, utc_now()
                )
            except DomainError as exc:
                error = exc
            async with self:
                self._end_save(ticket, saved, error)
                if error is not None:
                    return None

    async def _save_now(self) -> None:
        """Save inline (an edit while idle, or before an export); never beside a saver."""
        job = self._begin_save()
        if job is None:
            return
        ticket, project, notes, pedals = job
        repo = get_services().repository
        try:
            saved = await asyncio.to_thread(
                partial(projects.save_content, pedals=pedals), repo, project, notes, utc_now()
            )
        except DomainError as exc:
            self._end_save(ticket, None, exc)
            return
        self._end_save(ticket, saved, None, inline=True)

    def _push(self, edit: ServerEdit | None) -> None:
        """Send a server-made edit to the browser as a small patch."""
        if edit is None:
            return
        payload = edits.changeset_to_payload(edit.changeset)
        if edit.select_ids is not None:
            payload["select_ids"] = list(edit.select_ids)
            self._selected = edit.select_ids
        self.patch_json = json.dumps(payload, separators=(",", ":"))
        self.patch_seq += 1

    # --- events from the piano roll ------------------------------------------------------
    @rx.event
    async def commit(self, changeset: dict[str, Any]) -> EventSpec | None:
        """A finished edit from the roll (draw, move, resize, delete): apply and save it."""
        if self._session is None:
            return None
        try:
            self._session.commit(edits.changeset_from_payload(changeset))
        except DomainError as exc:
            self.message = error_message(exc)
            # The browser shows an edit the server refused: resend the truth.
            self._reload_notes()
            self._received(changeset)
            return None
        self._refresh_counts()
        return await self._after_edit(_burst(changeset), changeset)

    def _reload_notes(self) -> None:
        if self._session is not None:
            self.notes_json = json.dumps(self._session.rows(), separators=(",", ":"))
            pedals = edits.pedal_rows(self._session.pedals)
            self.pedals_json = json.dumps(pedals, separators=(",", ":"))
            self.load_revision += 1

    @rx.event
    async def change_pedals(self, event: dict[str, Any]) -> EventSpec | None:
        """The pedal lane's spans after a draw, move, resize or delete: one undoable step."""
        if self._session is None:
            return None
        try:
            edit = self._session.set_pedals(edits.pedals_from_payload(event))
        except DomainError:
            self.message = PEDAL_EDIT_MESSAGE
            # The browser shows spans the server refused: resend the truth.
            self._reload_notes()
            self._received(event)
            return None
        if edit is None:
            self._received(event)
            return None
        self._refresh_counts()
        return await self._after_edit(_burst(event), event)

    @rx.event
    def select(self, selection: dict[str, Any]) -> None:
        """The roll's selection changed."""
        ids = selection.get("ids") or []
        self._selected = tuple(i for i in ids if isinstance(i, str))
        self.selection_count = len(self._selected)

    @rx.event
    async def command(self, event: dict[str, Any]) -> EventSpec | None:
        """A shortcut pressed in the roll."""
        name = event.get("name")
        tick = event.get("tick")
        saver = None
        if name == "help":
            self.help_open = True
        elif name == "copy":
            if self._session is not None:
                self._session.copy(self._selected)
        else:
            tick_value = tick if isinstance(tick, int) else 0
            saver = await self._server_edit(str(name), tick_value, burst=_burst(event), event=event)
        # Again after any save: a command that changed nothing is acknowledged here.
        self._received(event)
        return saver

    @rx.event
    def change_tool(self, event: dict[str, Any]) -> None:
        """The roll switched tools from the keyboard (D/B draw, S/V select)."""
        tool = event.get("tool")
        if tool in TOOLS:
            self.tool = str(tool)

    async def _server_edit(
        self,
        name: str,
        tick: int = 0,
        amount: int = 0,
        burst: bool = False,
        event: dict[str, Any] | None = None,
    ) -> EventSpec | None:
        session = self._session
        if session is None:
            return None
        operations = {
            "undo": lambda: session.undo(),
            "redo": lambda: session.redo(),
            "cut": lambda: session.cut(self._selected),
            "paste": lambda: session.paste(max(0, tick)),
            "duplicate": lambda: session.duplicate(self._selected),
            "quantize": lambda: session.quantize(self._selected, self.snap_ticks or 120),
            "transpose": lambda: session.transpose(self._selected, amount),
            "velocity": lambda: session.set_velocity(self._selected, amount),
            "delete": lambda: session.delete(self._selected),
        }
        operation = operations.get(name)
        if operation is None:
            return None
        try:
            edit = operation()
        except DomainError as exc:
            self.message = error_message(exc)
            return None
        if edit is None:
            return None
        if edit.changeset.timing is not None:
            self._take_timing(edit.changeset.timing)
        self._push(edit)
        self._refresh_counts()
        return await self._after_edit(burst, event)

    def replace_range(
        self, start_tick: int, end_tick: int, notes: list[Note]
    ) -> tuple[int, EventSpec | None]:
        """Swap the notes starting in ``[start_tick, end_tick)`` for ``notes`` there.

        Called by re-transcription; one undoable step. Returns how many notes came in and
        the saver to start (the caller returns it from its handler).
        """
        if self._session is None:
            return 0, None
        try:
            edit = self._session.replace_range(start_tick, end_tick, notes)
        except DomainError as exc:
            self.message = error_message(exc)
            return 0, None
        self._push(edit)
        self._refresh_counts()
        saver = self._edited() if edit else None
        return (len(edit.changeset.upserts) if edit else 0), saver

    # --- toolbar -----------------------------------------------------------------------
    @rx.event
    async def undo(self) -> EventSpec | None:
        """Undo the latest edit."""
        return await self._server_edit("undo")

    @rx.event
    async def redo(self) -> EventSpec | None:
        """Redo the latest undone edit."""
        return await self._server_edit("redo")

    @rx.event
    async def quantize(self) -> EventSpec | None:
        """Snap the selection onto the grid."""
        return await self._server_edit("quantize")

    @rx.event
    async def transpose(self, semitones: int) -> EventSpec | None:
        """Move the selection up or down by ``semitones``."""
        return await self._server_edit("transpose", amount=int(semitones))

    @rx.event
    def set_velocity(self, value: list[int | float]) -> None:
        """Track the velocity slider while it moves (applied on commit)."""
        self.velocity = int(value[0]) if value else self.velocity

    @rx.event
    async def apply_velocity(self, value: list[int | float]) -> EventSpec | None:
        """Give the selection the slider's velocity."""
        self.velocity = max(1, min(127, int(value[0]))) if value else self.velocity
        return await self._server_edit("velocity", amount=self.velocity)

    @rx.event
    async def delete_selection(self) -> EventSpec | None:
        """Delete the selected notes."""
        return await self._server_edit("delete")

    @rx.event
    def select_all(self) -> None:
        """Select every note."""
        if self._session is None:
            return
        self._push(ServerEdit(edits.NoteChangeset(), tuple(self._session.notes)))
        self.selection_count = len(self._selected)

    @rx.event
    def set_tool(self, value: str | list[str]) -> None:
        """Choose draw or select."""
        choice = value if isinstance(value, str) else (value[0] if value else "draw")
        self.tool = "select" if choice == "select" else "draw"

    @rx.event
    def set_upgrade_open(self, value: bool) -> None:
        """Show or hide the "out of downloads" dialog."""
        self.upgrade_open = bool(value)

    @rx.var
    def downloads_left(self) -> int:
        """MIDI downloads left this month (the export menu's meter)."""
        return max(0, self.downloads_limit - self.downloads_used)

    async def _refresh_quota(self, user_id: str) -> downloads.QuotaStatus | None:
        services = get_services()
        status = await asyncio.to_thread(
            downloads.quota_status,
            services.repository,
            user_id,
            utc_now(),
            plans=services.plans.plans,
        )
        if status is not None:
            self.downloads_used = status.used
            self.downloads_limit = status.limit
            self.downloads_reset = f"{status.reset_date:%d %b %Y}"
        return status

    @rx.event
    def set_help_open(self, value: bool) -> None:
        """Show or hide the shortcut list."""
        self.help_open = bool(value)

    @rx.event
    def dismiss_message(self) -> None:
        """Hide the current message."""
        self.message = ""

    @rx.event
    async def set_tempo(self, value: str) -> EventSpec | None:
        """Change the first tempo (BPM) and save it; later tempo changes scale with it.

        With a recording, a new tempo would pull the notes away from it: the learner is
        asked first (slow both down instead, or change the notes' tempo only).
        """
        if self._project is None:
            return None
        try:
            wanted = projects.check_tempo(float(value))
        except (ValueError, DomainError):
            self.message = MESSAGES[projects.InvalidTempo]
            self.tempo_field_revision += 1
            return None
        if wanted == self.tempo_bpm:
            return None
        if self.has_audio:
            self.tempo_prompt_bpm = wanted
            self.tempo_prompt_open = True
            return None
        return await self._apply_tempo(wanted)

    @rx.event
    async def confirm_tempo(self) -> EventSpec | None:
        """Apply the prompted tempo to the notes only: they leave the recording's timing."""
        self.tempo_prompt_open = False
        return await self._apply_tempo(self.tempo_prompt_bpm)

    @rx.event
    def cancel_tempo(self) -> None:
        """Keep the tempo; the field shows it again."""
        self.tempo_prompt_open = False
        self.tempo_field_revision += 1

    async def _apply_tempo(self, tempo_bpm: float) -> EventSpec | None:
        if self._project is None:
            return None
        try:
            tempo, changes = projects.scale_tempo_map(self._project, tempo_bpm)
        except (ValueError, DomainError):
            self.message = MESSAGES[projects.InvalidTempo]
            return None
        self._project = replace(self._project, tempo_bpm=tempo, tempo_changes=changes)
        self._show_maps(self._project)
        return await self._after_edit()

    @rx.event
    async def set_time_signature(self, value: str) -> EventSpec | None:
        """Change the time signature and save it."""
        if value not in TIME_SIGNATURE_OPTIONS or self._project is None:
            return None
        numerator, denominator = value.split("/")
        signature = TimeSignature(int(numerator), int(denominator))
        self._project = replace(self._project, time_signature=signature)
        self._show_maps(self._project)
        return await self._after_edit()

    @rx.event
    def set_title(self, value: str) -> None:
        """Track the title field while typing."""
        self.title = value

    @rx.event
    async def save_title(self) -> EventSpec | None:
        """Rename the project to the title field's text."""
        if self._project is None:
            return None
        try:
            title = projects.clean_title(self.title)
        except DomainError as exc:
            self.message = error_message(exc)
            self.title = self._project.title
            return None
        if title == self._project.title:
            return None
        self._project = replace(self._project, title=title)
        self.title = title
        return await self._after_edit()

    # --- MIDI in and out ---------------------------------------------------------------
    async def fill(
        self, project: Project, notes: list[Note] | tuple[Note, ...]
    ) -> EventSpec | None:
        """Replace every note by ``notes`` and take ``project``'s tempo, metre, pedal and recording.

        Called by MIDI import and by transcription into the open project. The notes, pedal,
        tempo and metre change in one undoable step (undo brings the previous ones back; the
        recording stays the new one). Saves; returns the saver to start, if any.
        """
        if self._session is None or self._project is None:
            return None
        try:
            # Undo brings the earlier notes back with the tempo and metre they were read in.
            timing = (self._project.timing, project.timing)
            self._session.replace_all(notes, pedals=project.pedals, timing=timing)
        except DomainError as exc:
            self.message = error_message(exc)
            return None
        self._show_maps(project)
        self.has_audio = project.source_audio_key is not None
        self._selected = ()
        self._reload_notes()
        self._refresh_counts()
        self.message = ""
        self._project = replace(project, version=self._project.version)
        return await self._after_edit()

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
        self.downloads_used = delivered.quota.used
        self.downloads_limit = delivered.quota.limit
        self.downloads_reset = f"{delivered.quota.reset_date:%d %b %Y}"
        # A Var, not a str: rx.download takes only app paths as plain strings, and the link
        # may be a presigned S3 or CloudFront URL.
        return rx.download(url=rx.Var.create(delivered.url), filename=delivered.filename)

    @rx.event
    def back_to_projects(self) -> EventSpec:
        """Leave for the project list (everything is already saved)."""
        return rx.redirect(PROJECTS.path)


def _burst(event: dict[str, Any]) -> bool:
    """Whether the browser sent this while several earlier events were unacknowledged.

    One is normal (its acknowledgement may still be on the way when the next key is
    pressed); two or more mean edits arrive faster than they are saved.
    """
    unacked = event.get("unacked")
    return isinstance(unacked, int) and unacked >= BURST_UNACKED
