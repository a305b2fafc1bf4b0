"""The transcription settings a learner may change: model, its knobs, bars to redo."""

from __future__ import annotations

import reflex as rx

from keycraft.services.transcription.client import (
    MODEL_KNOBS,
    TranscriberModel,
    TranscriptionOptions,
    options_for,
)

MODEL_OPTIONS: dict[str, TranscriberModel] = {
    "Fast": "basic-pitch",
    "Piano – accurate": "transkun",
}
"""What the model menu shows → the service's model name."""
DEFAULT_MODEL_LABEL = "Piano – accurate"
"""Chosen by accuracy against waiting time: see docs/transcription-defaults.md."""
_DEFAULT_KNOBS = MODEL_KNOBS[MODEL_OPTIONS[DEFAULT_MODEL_LABEL]]


class TranscriptionSettingsMixin(rx.State, mixin=True):
    """Model choice and knobs, reset to the model's defaults when the model changes."""

    model_label: rx.Field[str] = rx.field(DEFAULT_MODEL_LABEL)
    onset_threshold: float = _DEFAULT_KNOBS.onset_threshold
    frame_threshold: float = _DEFAULT_KNOBS.frame_threshold
    min_note_ms: rx.Field[int] = rx.field(_DEFAULT_KNOBS.min_note_ms)
    range_start_bar: rx.Field[int] = rx.field(1)
    range_end_bar: rx.Field[int] = rx.field(9)

    @rx.var
    def shows_thresholds(self) -> bool:
        """Whether the chosen model reads the onset and frame thresholds."""
        return MODEL_KNOBS[self._model()].thresholds

    def _model(self) -> TranscriberModel:
        return MODEL_OPTIONS.get(self.model_label, MODEL_OPTIONS[DEFAULT_MODEL_LABEL])

    def _options(self, tempo_bpm: float) -> TranscriptionOptions:
        return options_for(
            self._model(),
            self.onset_threshold,
            self.frame_threshold,
            float(self.min_note_ms),
            tempo_bpm,
        )

    @rx.event
    def set_model_label(self, value: str) -> None:
        """Choose Fast or Piano – accurate; the knobs go back to that model's defaults."""
        if value not in MODEL_OPTIONS:
            return
        self.model_label = value
        knobs = MODEL_KNOBS[MODEL_OPTIONS[value]]
        self.onset_threshold = knobs.onset_threshold
        self.frame_threshold = knobs.frame_threshold
        self.min_note_ms = knobs.min_note_ms

    @rx.event
    def set_onset_threshold(self, value: list[int | float]) -> None:
        """How sure the model must be that a note starts (0–1)."""
        self.onset_threshold = round(min(1.0, max(0.0, float(value[0]))), 2)

    @rx.event
    def set_frame_threshold(self, value: list[int | float]) -> None:
        """How sure the model must be that a note is still sounding (0–1)."""
        self.frame_threshold = round(min(1.0, max(0.0, float(value[0]))), 2)

    @rx.event
    def set_min_note_ms(self, value: str) -> None:
        """Shortest note kept, in milliseconds."""
        try:
            self.min_note_ms = min(2000, max(10, int(value)))
        except ValueError:
            return

    @rx.event
    def set_range_start_bar(self, value: str) -> None:
        """First bar re-transcription replaces."""
        try:
            self.range_start_bar = max(1, int(value))
        except ValueError:
            return
        self.range_end_bar = max(self.range_end_bar, self.range_start_bar + 1)

    @rx.event
    def set_range_end_bar(self, value: str) -> None:
        """Bar where re-transcription stops replacing (exclusive)."""
        try:
            self.range_end_bar = max(self.range_start_bar + 1, int(value))
        except ValueError:
            return
