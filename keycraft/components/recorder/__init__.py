"""Recording in the browser: the microphone into transcription, a MIDI keyboard into the roll."""

from keycraft.components.recorder.wrapper import (
    AudioRecorder,
    MidiRecorder,
    audio_recorder,
    midi_recorder,
)

__all__ = ["AudioRecorder", "MidiRecorder", "audio_recorder", "midi_recorder"]
