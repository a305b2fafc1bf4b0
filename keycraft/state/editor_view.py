"""Practice and view settings of the open project: loop, metronome, speed, mixer, zoom.

Each change is stored at once with the project, as one small settings write
(``EditorState.store_settings``): the notes, and the big vars that carry them, are neither
saved nor re-sent.
"""

from __future__ import annotations

import reflex as rx

from keycraft.services.domain import TICKS_PER_QUARTER
from keycraft.services.notes import roll_events
from keycraft.services.notes.grid import grid_by_key
from keycraft.services.notes.loop import loop_region, snap_to_beat, tick_at_bar
from keycraft.services.notes.roll_events import LoopEvent, ViewEvent
from keycraft.services.project_settings import (
    MAX_PRACTICE_SPEED_PERCENT,
    MIN_PRACTICE_SPEED_PERCENT,
)
from keycraft.state.editor import EditorState

MIN_LOOP_TICKS = TICKS_PER_QUARTER
"""The shortest loop the bar inputs make: one quarter note."""


class EditorViewState(rx.State):
    """Handlers for the settings; the values live in ``EditorState`` (``editor_settings``)."""

    async def _editor(self) -> EditorState:
        return await self.get_state(EditorState)

    # --- loop --------------------------------------------------------------------------
    @rx.event
    async def set_loop_enabled(self, value: bool) -> None:
        """Turn looping on or off."""
        editor = await self._editor()
        editor.loop_enabled = bool(value)
        await editor.store_settings()

    @rx.event
    async def set_loop_start_bar(self, value: str) -> None:
        """Set the loop start from "bar" or "bar:beat" ("3", "2:3"); anything else is ignored."""
        editor = await self._editor()
        tick = tick_at_bar(value, editor.signature_map(), editor.first_bar_tick())
        if tick is None:
            editor.loop_field_revision += 1
            return
        region = loop_region(tick, max(editor.loop_end_tick, tick + MIN_LOOP_TICKS))
        editor.loop_start_tick, editor.loop_end_tick = region.start_tick, region.end_tick
        await editor.store_settings()

    @rx.event
    async def set_loop_end_bar(self, value: str) -> None:
        """Set where the loop ends (exclusive), as "bar" or "bar:beat"."""
        editor = await self._editor()
        tick = tick_at_bar(value, editor.signature_map(), editor.first_bar_tick())
        if tick is None:
            editor.loop_field_revision += 1
            return
        editor.loop_end_tick = max(editor.loop_start_tick + MIN_LOOP_TICKS, tick)
        await editor.store_settings()

    @rx.event
    async def change_loop(self, event: LoopEvent) -> None:
        """A loop drawn or adjusted on the ruler: snapped to beats, it becomes the loop, on."""
        ticks = roll_events.loop_ticks(event)
        if ticks is None:
            return
        editor = await self._editor()
        signatures = editor.signature_map()
        start = snap_to_beat(ticks.start_tick, signatures)
        end = snap_to_beat(ticks.end_tick, signatures)
        region = loop_region(start, end, min_length_ticks=MIN_LOOP_TICKS)
        editor.loop_start_tick, editor.loop_end_tick = region.start_tick, region.end_tick
        editor.loop_enabled = True
        await editor.store_settings()

    # --- metronome, speed and mixer ------------------------------------------------------
    @rx.event
    async def set_metronome(self, value: bool) -> None:
        """Turn the metronome on or off."""
        editor = await self._editor()
        editor.metronome = bool(value)
        await editor.store_settings()

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
        await editor.store_settings()

    @rx.event
    async def slow_down_both(self) -> None:
        """Play the prompted slower tempo as a practice speed: notes and recording together."""
        editor = await self._editor()
        percent = editor.tempo_prompt_speed_percent
        editor.tempo_prompt_open = False
        editor.tempo_field_revision += 1
        if percent:
            editor.practice_speed_percent = percent
            await editor.store_settings()

    @rx.event
    async def set_volume_db(self, value: list[int | float]) -> None:
        """Set the output volume in decibels."""
        if not value:
            return
        editor = await self._editor()
        editor.volume_db = float(value[0])
        await editor.store_settings()

    @rx.event
    async def set_midi_muted(self, value: bool) -> None:
        """Mute or unmute the notes."""
        editor = await self._editor()
        editor.midi_muted = bool(value)
        await editor.store_settings()

    @rx.event
    async def set_audio_muted(self, value: bool) -> None:
        """Mute or unmute the original recording."""
        editor = await self._editor()
        editor.audio_muted = bool(value)
        await editor.store_settings()

    @rx.event
    async def solo_midi(self) -> None:
        """Hear only the notes."""
        editor = await self._editor()
        editor.midi_muted, editor.audio_muted = False, True
        await editor.store_settings()

    @rx.event
    async def solo_audio(self) -> None:
        """Hear only the original recording."""
        editor = await self._editor()
        editor.midi_muted, editor.audio_muted = True, False
        await editor.store_settings()

    # --- view ----------------------------------------------------------------------------
    @rx.event
    async def set_snap(self, value: str) -> None:
        """Choose the snap grid."""
        editor = await self._editor()
        editor.snap = grid_by_key(value).key
        await editor.store_settings()

    @rx.event
    async def set_show_note_names(self, value: bool) -> None:
        """Show or hide note names on notes."""
        editor = await self._editor()
        editor.show_note_names = bool(value)
        await editor.store_settings()

    @rx.event
    async def change_view(self, event: ViewEvent) -> None:
        """The roll was zoomed (sent once the zooming pauses): keep its zoom and row height."""
        zoom = roll_events.zoom(event)
        if zoom is None:
            return
        editor = await self._editor()
        # Not echoed to the roll (it already shows them): view_revision stays.
        editor.px_per_beat = zoom.px_per_beat
        editor.key_height_px = zoom.key_height_px
        await editor.store_settings()
