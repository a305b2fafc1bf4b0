"""The landing demo's one choice: hear the original recording or the transcribed notes."""

from __future__ import annotations

from typing import Literal

import reflex as rx

DemoSource = Literal["recording", "notes"]
DEMO_SOURCES: tuple[DemoSource, ...] = ("recording", "notes")


class DemoState(rx.State):
    """What the demo piano roll plays; playback itself stays in the browser."""

    source: str = "recording"

    @rx.event
    def set_source(self, value: str | list[str]) -> None:
        """Switch between the recording and the notes; anything else is ignored."""
        if isinstance(value, str) and value in DEMO_SOURCES:
            self.source = value

    @rx.var
    def midi_muted(self) -> bool:
        """The notes are silent while the recording is heard."""
        return self.source == "recording"

    @rx.var
    def audio_muted(self) -> bool:
        """The recording is silent while the notes are heard."""
        return self.source == "notes"
