"""Each model's own default knobs, and which knobs each model honours.

The values come from `python -m transcriber.evaluation.defaults_sweep` on the recital set
(Salamander grand piano in a room); see docs/transcription-defaults.md for the figures.
"""

from __future__ import annotations

from transcriber.domain import MODEL_BASIC_PITCH, MODEL_TRANSKUN, TranscriptionOptions

KNOB_ONSET_THRESHOLD = "onset_threshold"
KNOB_FRAME_THRESHOLD = "frame_threshold"
KNOB_MIN_NOTE_MS = "min_note_ms"
KNOB_MIN_FREQ_HZ = "min_freq_hz"
KNOB_MAX_FREQ_HZ = "max_freq_hz"
KNOB_PITCH_BENDS = "pitch_bends"

MODEL_KNOBS: dict[str, frozenset[str]] = {
    MODEL_BASIC_PITCH: frozenset(
        {
            KNOB_ONSET_THRESHOLD,
            KNOB_FRAME_THRESHOLD,
            KNOB_MIN_NOTE_MS,
            KNOB_MIN_FREQ_HZ,
            KNOB_MAX_FREQ_HZ,
            KNOB_PITCH_BENDS,
        }
    ),
    # transkun decodes notes with its own semi-CRF: thresholds and bends do not exist for it.
    MODEL_TRANSKUN: frozenset({KNOB_MIN_NOTE_MS, KNOB_MIN_FREQ_HZ, KNOB_MAX_FREQ_HZ}),
}
"""The knobs each model reads; any other knob sent for that model is ignored."""

DEFAULT_OPTIONS: dict[str, TranscriptionOptions] = {
    # Best mean onset F1 of the grid (0.706, against 0.557 for the reference pipeline's
    # 0.5 / 0.3 / 127.7 ms, which drops every sixteenth of a fast run).
    MODEL_BASIC_PITCH: TranscriptionOptions(
        onset_threshold=0.6, frame_threshold=0.4, min_note_ms=30.0
    ),
    # transkun emits no note shorter than 30 ms on the set, so every length up to 30 ms
    # scores the same (0.944); 20 ms keeps a 40 ms grace note with room to spare.
    MODEL_TRANSKUN: TranscriptionOptions(min_note_ms=20.0),
}


def default_options(model: str) -> TranscriptionOptions:
    """The options a request for `model` gets for every knob it leaves out.

    Raises:
        KeyError: For an unknown model name.
    """
    return DEFAULT_OPTIONS[model]
