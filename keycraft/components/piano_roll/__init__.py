"""The piano-roll canvas (a local React component with Tone.js) wrapped for Reflex."""

from keycraft.components.piano_roll.wrapper import (
    CommandEvent,
    CommitEvent,
    LoopEvent,
    NoteRow,
    PedalEvent,
    PedalRow,
    PianoRoll,
    SelectionEvent,
    ToolEvent,
    piano_roll,
    transport_action,
    zoom_action,
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
    "piano_roll",
    "transport_action",
    "zoom_action",
]
