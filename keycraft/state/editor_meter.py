"""The "Tempo & metre" control: re-read the recording's tracked beats in the learner's way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from keycraft.services import projects
from keycraft.services.domain import BeatTrack, TimeSignature
from keycraft.services.errors import DomainError
from keycraft.services.notes import beat_map, roll_events
from keycraft.services.notes.roll_events import DownbeatEvent
from keycraft.services.notes.timing import tick_to_seconds
from keycraft.state.editor import EditorState, error_message

METER_OPTIONS = ["2/4", "3/4", "4/4", "5/4", "6/8", "9/8", "12/8"]
"""The metres the control offers for tracked beats (a beat is the lower number's note)."""
TEMPO_MODES = {
    beat_map.FOLLOW: "Follow the performance",
    beat_map.ONE_TEMPO: "One tempo for the whole piece",
}
CANNOT_REREAD_MESSAGE = "The beats cannot be read that way. Nothing was changed."
PLAYHEAD_SCRIPT = "window.keycraftPianoRoll ? window.keycraftPianoRoll.playheadTick() : -1"
"""Reads the roll's playhead (in ticks) in the browser, where it moves while playing."""


class EditorMeterState(rx.State):
    """Corrections to how the tracked beats are read; each is one undoable, saved edit.

    The reading itself lives in the project (``EditorState.beat_reading`` shows it): this
    state only turns the learner's choices into a new reading.
    """

    @rx.event
    async def set_meter(self, value: str) -> EventSpec | None:
        """Count the bars in ``value`` ("3/4"); the notes keep their times."""
        if value not in METER_OPTIONS:
            return None
        numerator, denominator = (int(part) for part in value.split("/"))
        meter = TimeSignature(numerator, denominator)
        return await self._reread(lambda track: replace(track, meter=meter))

    @rx.event
    async def set_tempo_mode(self, value: str) -> EventSpec | None:
        """Follow every beat of the performance, or hold one tempo (the typical beat)."""
        if value not in TEMPO_MODES:
            return None
        follow = value == beat_map.FOLLOW
        return await self._reread(lambda track: replace(track, follow=follow))

    @rx.event
    async def move_first_downbeat(self, beats: int) -> EventSpec | None:
        """Start bar 1 ``beats`` tracked beats later (negative: earlier)."""
        return await self._reread(
            lambda track: replace(
                track,
                first_downbeat_index=min(
                    len(track.beats) - 1, max(0, track.first_downbeat_index + int(beats))
                ),
            )
        )

    @rx.event
    def tap_first_downbeat(self) -> EventSpec:
        """Take the first downbeat at the playhead (tap it while the piece plays)."""
        return rx.call_script(PLAYHEAD_SCRIPT, callback=EditorMeterState.first_downbeat_at)

    @rx.event
    async def drop_first_downbeat(self, event: DownbeatEvent) -> EventSpec | None:
        """Bar 1's handle dragged along the ruler: start bar 1 on the beat nearest the drop."""
        tick = roll_events.dropped_tick(event)
        return None if tick is None else await self._bar_one_near(tick)

    @rx.event
    async def first_downbeat_at(self, tick: Any) -> EventSpec | None:
        """Start bar 1 on the tracked beat nearest to ``tick`` (where the playhead was)."""
        if not isinstance(tick, int | float) or tick < 0:
            return None
        return await self._bar_one_near(float(tick))

    async def _bar_one_near(self, tick: float) -> EventSpec | None:
        project = (await self.get_state(EditorState)).open_project()
        if project is None:
            return None
        heard_s = tick_to_seconds(tick, project.tempo_map)
        return await self._reread(
            lambda track: replace(
                track, first_downbeat_index=beat_map.nearest_beat_index(track, heard_s)
            )
        )

    async def _reread(self, change: Callable[[BeatTrack], BeatTrack]) -> EventSpec | None:
        """Apply ``change`` to the tracked beats' reading, re-placing notes and pedal."""
        editor = await self.get_state(EditorState)
        project = editor.open_project()
        if project is None or not beat_map.usable(project.beat_track):
            return None
        track = change(project.beat_track)
        if track == project.beat_track:
            return None
        try:
            return await editor.retime(beat_map.checked_timing(track))
        except ValueError:
            editor.show_message(CANNOT_REREAD_MESSAGE)
        except DomainError as exc:
            known = isinstance(exc, projects.InvalidTempoMap | projects.InvalidTimeSignature)
            editor.show_message(CANNOT_REREAD_MESSAGE if known else error_message(exc))
        return None
