"""The transcription settings and failure messages, without a browser."""

from __future__ import annotations

from keycraft.services.errors import DomainError
from keycraft.services.transcription.client import MODEL_KNOBS, TranscriberBusy
from keycraft.services.transcription.recordings import AudioFileTooLarge
from keycraft.state.transcription import TranscriptionState
from keycraft.state.transcription_messages import FALLBACK_MESSAGE, message_for
from keycraft.state.transcription_settings import DEFAULT_MODEL_LABEL, MODEL_OPTIONS
from tests.unit.state.conftest import OpenEditor, run


def test_a_new_tab_offers_the_default_model_with_its_own_knobs(tab: OpenEditor) -> None:
    state = tab.state(TranscriptionState)
    knobs = MODEL_KNOBS[MODEL_OPTIONS[DEFAULT_MODEL_LABEL]]
    assert state.model_label == DEFAULT_MODEL_LABEL
    assert (state.onset_threshold, state.frame_threshold, state.min_note_ms) == (
        knobs.onset_threshold,
        knobs.frame_threshold,
        knobs.min_note_ms,
    )
    assert state.shows_thresholds == knobs.thresholds


def test_changing_the_model_resets_the_knobs_to_that_models_defaults(tab: OpenEditor) -> None:
    state = tab.state(TranscriptionState)
    run(state.set_onset_threshold, [0.91])
    fast = next(label for label, model in MODEL_OPTIONS.items() if model == "basic-pitch")
    run(state.set_model_label, fast)
    knobs = MODEL_KNOBS["basic-pitch"]
    assert state.model_label == fast
    assert state.onset_threshold == knobs.onset_threshold
    assert state.shows_thresholds == knobs.thresholds
    run(state.set_model_label, "No such model")
    assert state.model_label == fast


def test_knobs_are_clamped_and_typing_mistakes_are_ignored(tab: OpenEditor) -> None:
    state = tab.state(TranscriptionState)
    run(state.set_frame_threshold, [1.7])
    assert state.frame_threshold == 1.0
    run(state.set_min_note_ms, "5")
    assert state.min_note_ms == 10
    run(state.set_min_note_ms, "abc")
    assert state.min_note_ms == 10


def test_the_bars_to_redo_always_cover_at_least_one_bar(tab: OpenEditor) -> None:
    state = tab.state(TranscriptionState)
    run(state.set_range_start_bar, "12")
    assert (state.range_start_bar, state.range_end_bar) == (12, 13)
    run(state.set_range_end_bar, "3")
    assert state.range_end_bar == 13
    run(state.set_range_start_bar, "0")
    assert state.range_start_bar == 1


def test_each_failure_reads_as_its_own_sentence() -> None:
    assert "30 seconds" in message_for(TranscriberBusy(retry_after_s=30))
    assert message_for(AudioFileTooLarge()) == "Recordings can be at most 100 MB."
    assert message_for(DomainError("anything else")) == FALLBACK_MESSAGE
