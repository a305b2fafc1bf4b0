"""Settings from the environment and validation of request parameters."""

from __future__ import annotations

import pytest

from transcriber.api.params import parse_request
from transcriber.config import load_settings
from transcriber.defaults import default_options
from transcriber.errors import BadParameter, UnknownModel

LOADED = ("basic-pitch", "transkun")


def test_settings_defaults() -> None:
    s = load_settings(environ={})
    assert (s.SECRET, s.THREADS, s.MAX_UPLOAD_MB, s.MAX_DURATION_S, s.TIMEOUT_S) == (
        "",
        2,
        100.0,
        1800.0,
        1800.0,
    )
    assert s.max_upload_bytes == 100 * 1024 * 1024
    assert s.MODELS == LOADED


def test_settings_from_environment_and_overrides() -> None:
    env = {
        "TRANSCRIBER_SECRET": "abc",
        "TRANSCRIBER_THREADS": "1",
        "TRANSCRIBER_MAX_UPLOAD_MB": "50",
        "TRANSCRIBER_MAX_DURATION_S": "600",
        "TRANSCRIBER_TIMEOUT_S": "30",
        "TRANSCRIBER_MODELS": "basic-pitch",
        "TRANSCRIBER_WARM_UP": "false",
    }
    s = load_settings(environ=env, overrides={"TRANSCRIBER_TIMEOUT_S": 5, "THREADS": 2})
    assert s.SECRET == "abc" and s.MAX_UPLOAD_MB == 50 and s.MAX_DURATION_S == 600
    assert s.TIMEOUT_S == 5 and s.THREADS == 2
    assert s.MODELS == ("basic-pitch",) and s.WARM_UP is False


@pytest.mark.parametrize(
    "env",
    [
        {"TRANSCRIBER_THREADS": "0"},
        {"TRANSCRIBER_TIMEOUT_S": "-1"},
        {"TRANSCRIBER_MODELS": "whisper"},
        {"TRANSCRIBER_WARM_UP": "perhaps"},
    ],
)
def test_invalid_settings_are_rejected(env: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        load_settings(environ=env)


def test_request_defaults() -> None:
    req = parse_request({}, {}, LOADED)
    assert req.model == "basic-pitch" and req.response_format == "midi" and req.tempo_bpm == 120
    assert req.options == default_options("basic-pitch")
    assert req.options.pitch_bends is False and req.options.min_freq_hz is None


def test_request_knobs_are_parsed() -> None:
    form = {
        "model": "transkun",
        "onset_threshold": "0.6",
        "frame_threshold": "0.2",
        "min_note_ms": "80",
        "min_freq_hz": "30",
        "max_freq_hz": "4000",
        "pitch_bends": "TRUE",
        "tempo_bpm": "96",
    }
    req = parse_request(form, {"format": "json"}, LOADED)
    assert req.model == "transkun" and req.response_format == "json" and req.tempo_bpm == 96
    o = req.options
    assert (o.onset_threshold, o.frame_threshold, o.min_note_ms) == (0.6, 0.2, 80)
    assert (o.min_freq_hz, o.max_freq_hz, o.pitch_bends) == (30, 4000, True)


@pytest.mark.parametrize(
    "form",
    [
        {"onset_threshold": "0"},
        {"frame_threshold": "1.01"},
        {"min_note_ms": "0"},
        {"min_freq_hz": "inf"},
        {"max_freq_hz": "-5"},
        {"tempo_bpm": "x"},
        {"pitch_bends": "2"},
    ],
)
def test_bad_knobs_raise_bad_parameter(form: dict[str, str]) -> None:
    with pytest.raises(BadParameter):
        parse_request(form, {}, LOADED)


def test_unknown_or_unloaded_model() -> None:
    with pytest.raises(UnknownModel):
        parse_request({"model": "nope"}, {}, LOADED)
    with pytest.raises(UnknownModel):
        parse_request({"model": "transkun"}, {}, ("basic-pitch",))
