"""The practice and view settings the editor shows: loop, metronome, speed, mixer, zoom, snap.

The values live here, in ``EditorState``, because the roll reads them with the notes;
``EditorViewState`` (``editor_view.py``) holds the handlers that change and store them.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import reflex as rx

from keycraft.routes import project_audio_url
from keycraft.services import projects
from keycraft.services.container import get_services
from keycraft.services.errors import DomainError
from keycraft.services.notes.grid import DEFAULT_GRID, SNAP_GRIDS, grid_by_key
from keycraft.services.notes.loop import bar_beat_label
from keycraft.services.project_settings import ProjectSettings
from keycraft.state.editor_base import SAVE_FAILED_MESSAGE
from keycraft.state.editor_fields import EditorFieldsMixin

SNAP_OPTIONS: list[str] = [g.key for g in SNAP_GRIDS]
PRACTICE_SPEEDS_PERCENT = (50, 60, 70, 75, 80, 90, 100)
"""Practice speeds the menu offers, in percent of the written tempo."""


class EditorSettingsMixin(EditorFieldsMixin, mixin=True):
    """The settings as shown, restored with the project and stored as one small write."""

    snap: rx.Field[str] = rx.field(DEFAULT_GRID.key)
    show_note_names: bool = False
    metronome: bool = False
    loop_enabled: bool = False
    loop_start_tick: rx.Field[int] = rx.field(0)
    loop_end_tick: rx.Field[int] = rx.field(4 * 1920)
    # Bumped when a typed loop bound is not a bar or bar:beat, so the inputs show the loop again.
    loop_field_revision: rx.Field[int] = rx.field(0)
    volume_db: float = -6.0
    midi_muted: bool = False
    audio_muted: bool = False
    # Practice speed (notes and recording together) and the roll's zoom, restored with the
    # project; the roll takes the zoom when ``view_revision`` changes (once per open).
    practice_speed_percent: rx.Field[int] = rx.field(100)
    px_per_beat: float = 96.0
    key_height_px: float = 12.0
    view_revision: rx.Field[int] = rx.field(0)

    @rx.var
    def snap_ticks(self) -> int:
        """The snap grid step in ticks (0 = off)."""
        return grid_by_key(self.snap).step_ticks

    @rx.var
    def loop_start_bar(self) -> str:
        """The loop start as "bar" or "bar:beat" for its input (bar 1 on the first downbeat)."""
        return bar_beat_label(self.loop_start_tick, self.signature_map(), self.first_bar_tick())

    @rx.var
    def loop_end_bar(self) -> str:
        """Where the loop ends (exclusive), as "bar" or "bar:beat", for its input."""
        return bar_beat_label(self.loop_end_tick, self.signature_map(), self.first_bar_tick())

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
    def audio_url(self) -> str:
        """The original recording's URL, or '' when the project has none."""
        return project_audio_url(self.project_id) if self.has_audio else ""

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

    async def store_settings(self) -> None:
        """Store the settings as shown; a failure is said, and the next change retries.

        One small settings write: the notes, and the big vars that carry them, are
        neither saved nor re-sent.
        """
        project = self._project
        if project is None:
            return
        try:
            stored = await asyncio.to_thread(
                projects.save_settings,
                get_services().repository,
                project.user_id,
                project.id,
                self.current_settings(),
            )
        except DomainError:
            self.message = SAVE_FAILED_MESSAGE
            return
        self._project = replace(project, settings=stored)
