"""Practice and view settings of the open project: loop, metronome, speed, mixer, zoom.

Each change is stored at once with the project, as one small settings write: the notes,
and the big vars that carry them, are neither saved nor re-sent.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import reflex as rx

from keycraft.services import projects
from keycraft.services.container import get_services
from keycraft.services.domain import TICKS_PER_QUARTER
from keycraft.services.errors import DomainError
from keycraft.services.notes.grid import grid_by_key
from keycraft.services.notes.loop import loop_region, snap_to_beat, tick_at_bar
from keycraft.services.project_settings import (
    MAX_PRACTICE_SPEED_PERCENT,
    MIN_PRACTICE_SPEED_PERCENT,
)
from keycraft.state.editor import SAVE_FAILED_MESSAGE, EditorState

MIN_LOOP_TICKS = TICKS_PER_QUARTER
"""The shortest loop the bar inputs make: one quarter note."""


class EditorViewState(rx.State):
    """Handlers for the settings; the values themselves live in ``EditorState``."""

    async def _editor(self) -> EditorState:
        return await self.get_state(EditorState)

    async def _store(self, editor: EditorState) -> None:
        """Store the editor's settings; a failure is said, and the next change retries."""
        project = editor._project
        if project is None:
            return
        settings = editor.current_settings()
        try:
            stored = await asyncio.to_thread(
                projects.save_settings,
                get_services().repository,
                project.user_id,
                project.id,
                settings,
            )
        except DomainError:
            editor.message = SAVE_FAILED_MESSAGE
            return
        editor._project = replace(project, settings=stored)

    # --- loop --------------------------------------------------------------------------
    @rx.event
    async def set_loop_enabled(self, value: bool) -> None:
        """Turn looping on or off."""
        editor = await self._editor()
        editor.loop_enabled = bool(value)
        await self._store(editor)

    @rx.event
    async def set_loop_start_bar(self, value: str) -> None:
        """Set the loop start from "bar" or "bar:beat" ("3", "2:3"); anything else is ignored."""
        editor = await self._editor()
        tick = tick_at_bar(value, editor._signature_map())
        if tick is None:
            editor.loop_field_revision += 1
            return
        region = loop_region(tick, max(editor.loop_end_tick, tick + MIN_LOOP_TICKS))
        editor.loop_start_tick, editor.loop_end_tick = region.start_tick, region.end_tick
        await self._store(editor)

    @rx.event
    async def set_loop_end_bar(self, value: str) -> None:
        """Set where the loop ends (exclusive), as "bar" or "bar:beat"."""
        editor = await self._editor()
        tick = tick_at_bar(value, editor._signature_map())
        if tick is None:
            editor.loop_field_revision += 1
            return
        editor.loop_end_tick = max(editor.loop_start_tick + MIN_LOOP_TICKS, tick)
        await self._store(editor)

    @rx.event
    async def change_loop(self, event: dict[str, Any]) -> None:
        """A loop drawn or adjusted on the ruler: snapped to beats, it becomes the loop, on."""
        start, end = event.get("start_tick"), event.get("end_tick")
        if not isinstance(start, int) or not isinstance(end, int):
            return
        editor = await self._editor()
        signatures = editor._signature_map()
        start, end = snap_to_beat(start, signatures), snap_to_beat(end, signatures)
        region = loop_region(start, end, min_length_ticks=MIN_LOOP_TICKS)
        editor.loop_start_tick, editor.loop_end_tick = region.start_tick, region.end_tick
        editor.loop_enabled = True
        await self._store(editor)

    # --- metronome, speed and mixer ------------------------------------------------------
    @rx.event
    async def set_metronome(self, value: bool) -> None:
        """Turn the metronome on or off."""
        editor = await self._editor()
        editor.metronome = bool(value)
        await self._store(editor)

    @rx.event
    async def set_practice_speed(self, value: str) -> None:
        """Slow notes and recording down together ("75%" of the written tempo)."""
        try:
            percent = int(value.strip().rstrip("%"))
        except ValueError:
            return
        if not MIN_PRACTICE_SPEED_PERCENT <= percent <= MAX_PRACTICE_SPEED_PERCENT:
            return
        editor = await self._editor()
        editor.practice_speed_percent = percent
        await self._store(editor)

    @rx.event
    async def slow_down_both(self) -> None:
        """Play the prompted slower tempo as a practice speed: notes and recording together."""
        editor = await self._editor()
        percent = editor.tempo_prompt_speed_percent
        editor.tempo_prompt_open = False
        editor.tempo_field_revision += 1
        if percent:
            editor.practice_speed_percent = percent
            await self._store(editor)

    @rx.event
    async def set_volume_db(self, value: list[int | float]) -> None:
        """Set the output volume in decibels."""
        if not value:
            return
        editor = await self._editor()
        editor.volume_db = float(value[0])
        await self._store(editor)

    @rx.event
    async def set_midi_muted(self, value: bool) -> None:
        """Mute or unmute the notes."""
        editor = await self._editor()
        editor.midi_muted = bool(value)
        await self._store(editor)

    @rx.event
    async def set_audio_muted(self, value: bool) -> None:
        """Mute or unmute the original recording."""
        editor = await self._editor()
        editor.audio_muted = bool(value)
        await self._store(editor)

    @rx.event
    async def solo_midi(self) -> None:
        """Hear only the notes."""
        editor = await self._editor()
        editor.midi_muted, editor.audio_muted = False, True
        await self._store(editor)

    @rx.event
    async def solo_audio(self) -> None:
        """Hear only the original recording."""
        editor = await self._editor()
        editor.midi_muted, editor.audio_muted = True, False
        await self._store(editor)

    # --- view ----------------------------------------------------------------------------
    @rx.event
    async def set_snap(self, value: str) -> None:
        """Choose the snap grid."""
        editor = await self._editor()
        editor.snap = grid_by_key(value).key
        await self._store(editor)

    @rx.event
    async def set_show_note_names(self, value: bool) -> None:
        """Show or hide note names on notes."""
        editor = await self._editor()
        editor.show_note_names = bool(value)
        await self._store(editor)

    @rx.event
    async def change_view(self, event: dict[str, Any]) -> None:
        """The roll was zoomed (sent once the zooming pauses): keep its zoom and row height."""
        px_per_beat, key_height_px = event.get("px_per_beat"), event.get("key_height_px")
        if not isinstance(px_per_beat, int | float) or not isinstance(key_height_px, int | float):
            return
        editor = await self._editor()
        # Not echoed to the roll (it already shows them): view_revision stays.
        editor.px_per_beat = float(px_per_beat)
        editor.key_height_px = float(key_height_px)
        await self._store(editor)
