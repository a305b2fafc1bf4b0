"""Per-model knobs of the transcription client: defaults, and knobs a model ignores."""

from __future__ import annotations

from keycraft.services.transcription.client import MODEL_KNOBS, options_for
from transcriber.defaults import MODEL_KNOBS as SERVICE_KNOBS
from transcriber.defaults import default_options


def test_app_defaults_match_the_services_own() -> None:
    assert set(MODEL_KNOBS) == set(SERVICE_KNOBS)
    for model, knobs in MODEL_KNOBS.items():
        service = default_options(model)
        assert knobs.min_note_ms == round(service.min_note_ms)
        assert knobs.thresholds == ("onset_threshold" in SERVICE_KNOBS[model])
        if knobs.thresholds:
            assert (knobs.onset_threshold, knobs.frame_threshold) == (
                service.onset_threshold,
                service.frame_threshold,
            )


def test_the_piano_model_gets_no_thresholds() -> None:
    fields = options_for("transkun", 0.7, 0.2, 10, tempo_bpm=96).form_fields()
    assert fields == {
        "model": "transkun",
        "pitch_bends": "false",
        "min_note_ms": "10",
        "tempo_bpm": "96",
    }


def test_the_fast_model_gets_every_knob() -> None:
    fields = options_for("basic-pitch", 0.6, 0.4, 90).form_fields()
    assert (fields["onset_threshold"], fields["frame_threshold"], fields["min_note_ms"]) == (
        "0.6",
        "0.4",
        "90",
    )
    assert "tempo_bpm" not in fields
