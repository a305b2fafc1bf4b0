"""Parse and validate the form fields and query parameters of `/transcribe`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from transcriber.defaults import default_options
from transcriber.domain import MODEL_BASIC_PITCH, MODEL_NAMES, TranscriptionOptions
from transcriber.errors import BadParameter, UnknownModel
from transcriber.midi import DEFAULT_TEMPO_BPM

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
FORMATS = ("midi", "json", "ndjson")


@dataclass(frozen=True)
class TranscribeRequest:
    """A validated transcription request (without the audio itself).

    Attributes:
        model: Model name.
        options: Post-processing knobs; those left out take the model's own defaults.
        tempo_bpm: Tempo written into the MIDI file.
        response_format: "midi", "json" or "ndjson" (a line per part, then the notes).
    """

    model: str
    options: TranscriptionOptions
    tempo_bpm: float
    response_format: str


def _number(form: Mapping[str, str], name: str, default: float | None) -> float | None:
    raw = form.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise BadParameter(f"'{name}' must be a number, got {raw[:40]!r}.") from None
    if not math.isfinite(value):
        raise BadParameter(f"'{name}' must be a finite number.")
    return value


def _unit_interval(form: Mapping[str, str], name: str, default: float) -> float:
    value = _number(form, name, default)
    assert value is not None
    if not 0.0 < value <= 1.0:
        raise BadParameter(f"'{name}' must be greater than 0 and at most 1, got {value:g}.")
    return value


def _positive(
    form: Mapping[str, str], name: str, default: float | None, upper: float
) -> float | None:
    value = _number(form, name, default)
    if value is not None and not 0.0 < value <= upper:
        raise BadParameter(f"'{name}' must be greater than 0 and at most {upper:g}, got {value:g}.")
    return value


def _flag(form: Mapping[str, str], name: str, default: bool) -> bool:
    raw = form.get(name)
    if raw is None or raw.strip() == "":
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise BadParameter(f"'{name}' must be true or false, got {raw[:40]!r}.")


def parse_request(
    form: Mapping[str, str], args: Mapping[str, str], loaded_models: tuple[str, ...]
) -> TranscribeRequest:
    """Validate form fields and query parameters.

    Args:
        form: Multipart form fields.
        args: Query string parameters.
        loaded_models: Models available on this instance.

    Returns:
        The validated request.

    Raises:
        UnknownModel: For a model name that is unknown or not loaded.
        BadParameter: For any invalid knob.
    """
    model = (form.get("model") or MODEL_BASIC_PITCH).strip()
    if model not in MODEL_NAMES:
        raise UnknownModel(f"Unknown model {model[:40]!r}; choose one of {', '.join(MODEL_NAMES)}.")
    if model not in loaded_models:
        raise UnknownModel(f"The model {model!r} is not enabled on this server.")
    response_format = (args.get("format") or "midi").strip().lower()
    if response_format not in FORMATS:
        raise BadParameter(f"'format' must be one of {', '.join(FORMATS)}.")
    # Each model has its own defaults: the piano model keeps notes Basic Pitch must drop.
    defaults = default_options(model)
    min_freq = _positive(form, "min_freq_hz", None, 20000.0)
    max_freq = _positive(form, "max_freq_hz", None, 20000.0)
    if min_freq is not None and max_freq is not None and min_freq >= max_freq:
        raise BadParameter("'min_freq_hz' must be lower than 'max_freq_hz'.")
    min_note_ms = _positive(form, "min_note_ms", defaults.min_note_ms, 60000.0)
    tempo = _positive(form, "tempo_bpm", DEFAULT_TEMPO_BPM, 1000.0)
    assert min_note_ms is not None and tempo is not None
    options = TranscriptionOptions(
        onset_threshold=_unit_interval(form, "onset_threshold", defaults.onset_threshold),
        frame_threshold=_unit_interval(form, "frame_threshold", defaults.frame_threshold),
        min_note_ms=min_note_ms,
        min_freq_hz=min_freq,
        max_freq_hz=max_freq,
        pitch_bends=_flag(form, "pitch_bends", defaults.pitch_bends),
    )
    return TranscribeRequest(model, options, tempo, response_format)
