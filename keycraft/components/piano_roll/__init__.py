"""The piano-roll canvas (a local React component with Tone.js) wrapped for Reflex."""

from keycraft.components.piano_roll.wrapper import (
    PianoRoll,
    piano_roll,
    transport_action,
    zoom_action,
)
from keycraft.services.notes.roll_events import (
    CommandEvent,
    CommitEvent,
    LoopEvent,
    NoteRow,
    PedalEvent,
    PedalRow,
    SelectionEvent,
    ToolEvent,
    ViewEvent,
)

__all__ = [
    "CommandEvent",
    "CommitEvent",
    "LoopEvent",
    "NoteRow",
    "PedalEvent",
    "PedalRow",
    "PianoRoll",
    "SelectionEvent",
    "ToolEvent",
    "ViewEvent",
    "piano_roll",
    "transport_action",
    "zoom_action",
]
