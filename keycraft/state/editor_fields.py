"""The open project's own fields in the editor: title, tempo and metre (with their maps)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import reflex as rx
from reflex.event import EventSpec

from keycraft.services import projects
from keycraft.services.domain import (
    BeatTrack,
    Project,
    ProjectTiming,
    TimeSignature,
    TimeSignatureChange,
)
from keycraft.services.errors import DomainError
from keycraft.services.notes import beat_map
from keycraft.services.project_settings import speed_percent_for_tempo
from keycraft.state.editor_base import MESSAGES, error_message
from keycraft.state.editor_save import EditorSaveMixin

TIME_SIGNATURE_OPTIONS: list[str] = ["2/4", "3/4", "4/4", "5/4", "6/8", "7/8", "9/8", "12/8"]
ProjectChange = Callable[[Project], Project]
"""An edit of the open project's own fields: the project before, the project after."""


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


class EditorFieldsMixin(EditorSaveMixin, mixin=True):
    """Title, first tempo and metre, and the prompt a tempo change opens over a recording."""

    title: str = ""
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
    # Where bar 1 starts (ticks), for the roll's handle on the ruler; -1 without beats.
    first_downbeat_tick: rx.Field[int] = rx.field(-1)
    # A tempo typed for a project with a recording waits here until the learner chooses.
    tempo_prompt_bpm: rx.Field[float] = rx.field(0.0)
    tempo_prompt_open: bool = False
    tempo_field_revision: rx.Field[int] = rx.field(0)

    @rx.var
    def beats_per_bar(self) -> int:
        """Time signature numerator."""
        return int(self.time_signature.split("/")[0])

    @rx.var
    def beat_unit(self) -> int:
        """Time signature denominator."""
        return int(self.time_signature.split("/")[1])

    @rx.var
    def tempo_prompt_speed_percent(self) -> int:
        """The practice speed the prompted tempo would be; 0 when out of range (50–100 %)."""
        return speed_percent_for_tempo(self.tempo_bpm, self.tempo_prompt_bpm) or 0

    @rx.var
    def tempo_map_note(self) -> str:
        """What the tempo field does to a piece with tempo changes ('' without any)."""
        count = self.tempo_change_count
        if not count:
            return ""
        return f"{count} later tempo {_plural(count, 'change')} scale with this tempo"

    @rx.var
    def time_signature_map_note(self) -> str:
        """Which bars the metre menu sets when the piece changes metre ('' when it does not)."""
        count = self.time_signature_change_count
        if not count:
            return ""
        return f"until the first of {count} metre {_plural(count, 'change')}"

    def signature_map(self) -> tuple[TimeSignatureChange, ...]:
        """The open project's time signatures, as the roll shows them."""
        rows = json.loads(self.time_signature_map_json)
        return tuple(TimeSignatureChange(int(t), int(n), int(d)) for t, n, d in rows)

    def first_bar_tick(self) -> int:
        """Where bar 1 starts: the first downbeat heard in the recording, else tick 0."""
        return max(0, self.first_downbeat_tick)

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
        self.first_downbeat_tick = beat_map.first_downbeat_tick(
            project.beat_track, project.tempo_map
        )

    def _take_timing(self, timing: ProjectTiming) -> None:
        """Read the project under ``timing`` (a metre correction, or its undo or redo)."""
        if self._project is not None:
            self._project = self._project.with_timing(timing)
            self._show_maps(self._project)

    async def _change_project(self, change: ProjectChange) -> EventSpec | None:
        """Apply ``change`` to the open project, show its fields again and save it."""
        if self._project is None:
            return None
        self._project = change(self._project)
        self._show_maps(self._project)
        return await self._after_edit()

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
        return await self._change_project(
            lambda p: replace(p, tempo_bpm=tempo, tempo_changes=changes)
        )

    @rx.event
    async def set_time_signature(self, value: str) -> EventSpec | None:
        """Change the time signature and save it."""
        if value not in TIME_SIGNATURE_OPTIONS:
            return None
        numerator, denominator = value.split("/")
        signature = TimeSignature(int(numerator), int(denominator))
        return await self._change_project(lambda p: replace(p, time_signature=signature))

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
