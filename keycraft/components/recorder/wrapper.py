"""Python wrappers of the browser recorders: microphone (``audio_recorder.jsx``), MIDI keyboard.

Both are local React components with no npm dependency beyond React. The microphone
recorder hands its take to an upload picker's file input, so a recording follows the upload
path (same handler, checks and model); the MIDI recorder adds its take to the editor's roll
through the roll's own commit.
"""

from __future__ import annotations

import reflex as rx

MIDI_TAKE_MODULE = rx.asset("midi_take.js", shared=True)
"""The pure message → note module ``midi_recorder.jsx`` imports; linked beside it."""
BUTTON_STYLE_MODULE = rx.asset("button_style.js", shared=True)
"""The button style both recorders import; linked beside them."""


class AudioRecorder(rx.NoSSRComponent):
    """Record button, input level meter, elapsed time, review and hand-off to an upload.

    The recording stops by itself just before ``max_seconds`` and says so.
    """

    library = rx.asset("audio_recorder.jsx", shared=True).importable_path
    tag = "AudioRecorder"

    max_seconds: rx.Var[float]
    """Longest recording in seconds: the transcriber's limit. Default 1800."""

    upload_input_id: rx.Var[str]
    """DOM id of the ``<input type=file>`` that receives the take (see ``upload_input_id``)."""

    disabled: rx.Var[bool]
    """No new recording or hand-off (a transcription is under way). Default False."""


class MidiRecorder(rx.NoSSRComponent):
    """Record MIDI / Stop take, with a count-in bar and the metronome, into the page's roll.

    Works with the roll that claims ``window.keycraftPianoRoll`` (the editor's). Where Web
    MIDI is missing, refused or no keyboard is connected, it says so.
    """

    library = rx.asset("midi_recorder.jsx", shared=True).importable_path
    tag = "MidiRecorder"


audio_recorder = AudioRecorder.create
midi_recorder = MidiRecorder.create
