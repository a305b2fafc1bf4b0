"""The project settings type: defaults, range checks and a forgiving JSON codec."""

from keycraft.services.project_settings import (
    ProjectSettings,
    clean_settings,
    decode_settings,
    encode_settings,
    speed_percent_for_tempo,
)


def test_settings_round_trip_through_json() -> None:
    settings = ProjectSettings(
        loop_enabled=True,
        loop_start_tick=960,
        loop_end_tick=4800,
        metronome=True,
        practice_speed_percent=70,
        px_per_beat=200.0,
        key_height_px=20.0,
        snap="1/8",
        show_note_names=True,
        volume_db=-3.0,
        midi_muted=True,
        audio_muted=False,
    )
    text = encode_settings(settings)
    assert len(text) < 400
    assert decode_settings(text) == settings


def test_older_projects_and_damaged_text_read_as_defaults() -> None:
    for text in (None, "", "{}", "[]", "not json", "null"):
        assert decode_settings(text) == ProjectSettings()


def test_bad_values_fall_back_one_by_one() -> None:
    text = (
        '{"metronome": "yes", "practice_speed_percent": true, "px_per_beat": "wide",'
        ' "snap": 3, "loop_enabled": true, "future_setting": 1}'
    )
    settings = decode_settings(text)
    assert settings == ProjectSettings(loop_enabled=True)


def test_values_are_kept_in_range() -> None:
    wild = ProjectSettings(
        loop_start_tick=-50,
        loop_end_tick=-100,
        practice_speed_percent=20,
        px_per_beat=5000.0,
        key_height_px=1.0,
        snap="1/64",
        volume_db=99.0,
    )
    clean = clean_settings(wild)
    assert (clean.loop_start_tick, clean.loop_end_tick) == (0, 1)
    assert clean.practice_speed_percent == 50
    assert (clean.px_per_beat, clean.key_height_px) == (800.0, 5.0)
    assert clean.snap == "1/16"
    assert clean.volume_db == 6.0
    assert clean_settings(ProjectSettings(practice_speed_percent=140)).practice_speed == 1.0
    assert decode_settings('{"practice_speed_percent": 55.4}').practice_speed_percent == 55


def test_a_slower_tempo_is_a_practice_speed_when_in_range() -> None:
    assert speed_percent_for_tempo(120, 60) == 50
    assert speed_percent_for_tempo(96, 72) == 75
    assert speed_percent_for_tempo(120, 119.5) == 100
    assert speed_percent_for_tempo(120, 50) is None  # below 50 %
    assert speed_percent_for_tempo(120, 140) is None  # faster than the recording
    assert speed_percent_for_tempo(0, 60) is None
