"""Practising in the editor: speed with the recording, loops by bars and beats, kept settings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from keycraft.services.domain import Note, TempoChange
from keycraft.services.notes.timing import tick_to_seconds
from keycraft.services.project_settings import ProjectSettings
from keycraft.services.storage.local import LocalStorage
from tests.e2e.conftest import ConsoleLog
from tests.e2e.test_editor import _drag, _open, _point, _ruler_y, _stored, _wait_for, user_page
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.recordings import tone_wav

__all__ = ["user_page"]  # the signed-in page fixture, shared with test_editor

NOTES = tuple(Note(i * 480, 240, 60 + i % 12, 90) for i in range(48))  # 12 bars of quarters
ONE_TEMPO = (TempoChange(0, 120.0),)
SAMPLE_JS = """() => ({
  ms: performance.now(),
  tick: window.__keycraft.playheadTick,
  rec: window.__keycraft.recordingPlayback,
})"""


def _seed_with_recording(app: RunningApp, user_id: str) -> str:
    """A project whose recording (a 30 s tone, 120 BPM like the notes) is in the media store."""
    repo = app.repository()
    user = repo.get_user(user_id)
    assert user is not None
    project = replace(make_project(user, title="With recording", notes=0), notes=NOTES)
    key = f"users/{user_id}/projects/{project.id}/source.wav"
    LocalStorage(Path(app.env["MEDIA_DIR"])).put(key, tone_wav(30.0), "audio/wav")
    repo.create_project(replace(project, source_audio_key=key))
    return project.id


def _choose_speed(page: Page, label: str) -> None:
    page.get_by_test_id("practice-speed").click()
    page.get_by_role("option", name=label, exact=True).click()
    expect(page.get_by_test_id("practice-speed")).to_have_text(label)


def _settings(app: RunningApp, user_id: str, project_id: str) -> ProjectSettings:
    return _stored(app, user_id, project_id).settings


def _rates(first: dict[str, Any], second: dict[str, Any]) -> tuple[float, float]:
    """Playhead ticks and recording seconds per wall-clock second between two samples."""
    wall_s = (second["ms"] - first["ms"]) / 1000
    playhead = (second["tick"] - first["tick"]) / wall_s
    recording = (second["rec"]["seconds"] - first["rec"]["seconds"]) / wall_s
    return playhead, recording


def test_half_speed_slows_notes_and_recording_together(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    project_id = _seed_with_recording(app, user_id)
    _open(page, app, project_id)

    # Typing a slower tempo explains what it would do, and offers to slow both down.
    page.get_by_test_id("tempo").fill("60")
    page.get_by_test_id("tempo").blur()
    prompt = page.get_by_test_id("tempo-prompt")
    expect(prompt).to_contain_text("no longer line up with the recording")
    expect(prompt).to_contain_text("play at 50% together")
    page.get_by_test_id("slow-down-both").click()
    expect(prompt).to_be_hidden()
    expect(page.get_by_test_id("practice-speed")).to_have_text("50%")
    expect(page.get_by_test_id("tempo")).to_have_value("120")
    page.wait_for_function("window.__keycraft.practiceSpeed === 0.5")
    _wait_for(lambda: _settings(app, user_id, project_id).practice_speed_percent == 50, "speed")
    stored = _stored(app, user_id, project_id)
    assert stored.tempo_map == ONE_TEMPO and stored.version == 1  # notes and tempo untouched

    # Play from bar 3 (2 s into the recording): the stretched recording starts there too.
    x, _ = _point(page, 3840, 60)
    page.mouse.click(x, _ruler_y(page))
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "window.__keycraft.transportState === 'started'"
        " && window.__keycraft.recordingPlayback.seconds !== null"
    )
    first = page.evaluate(SAMPLE_JS)
    page.wait_for_function(f"window.__keycraft.playheadTick > {first['tick'] + 720}")
    second = page.evaluate(SAMPLE_JS)
    page.get_by_test_id("play").click()
    page.wait_for_function("window.__keycraft.transportState === 'paused'")

    for sample in (first, second):
        rec = sample["rec"]
        assert rec["engine"] == "grain" and rec["rate"] == 0.5  # pitch kept: grains, not rate
        assert abs(rec["driftMs"]) < 30, rec
    started_s = tick_to_seconds(first["tick"], ONE_TEMPO)
    assert first["rec"]["seconds"] == pytest.approx(started_s, abs=0.1)
    playhead_rate, recording_rate = _rates(first, second)
    # 120 BPM at half speed: a beat (480 ticks) and half a second of recording per second.
    assert playhead_rate == pytest.approx(480, rel=0.15)
    assert recording_rate == pytest.approx(0.5, rel=0.15)

    # "Change the notes' tempo" is still there for a real tempo change.
    page.get_by_test_id("tempo").fill("100")
    page.get_by_test_id("tempo").blur()
    expect(prompt).to_contain_text("play at 83% together")
    page.get_by_test_id("tempo-notes-only").click()
    _wait_for(lambda: _stored(app, user_id, project_id).tempo_bpm == 100.0, "tempo")
    assert _settings(app, user_id, project_id).practice_speed_percent == 50
    assert console.errors == []


def test_loops_count_whole_bars_play_from_their_start_and_settings_survive_a_reload(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    project_id = _seed_with_recording(app, user_id)
    _open(page, app, project_id)
    expect(page.get_by_test_id("loop")).to_have_attribute("data-state", "unchecked")

    # Shift+drag on the ruler, between beats: the loop snaps to beats and turns on.
    ruler_y = _ruler_y(page)
    start_x, _ = _point(page, 2000, 60)
    end_x, _ = _point(page, 5700, 60)
    page.keyboard.down("Shift")
    _drag(page, (start_x, ruler_y), (end_x, ruler_y))
    page.keyboard.up("Shift")
    expect(page.get_by_test_id("loop")).to_have_attribute("data-state", "checked")
    expect(page.get_by_test_id("loop-start-bar")).to_have_value("2")
    expect(page.get_by_test_id("loop-end-bar")).to_have_value("4")
    page.wait_for_function(
        "window.__keycraft.loop.start === 1920 && window.__keycraft.loop.end === 5760"
    )

    # Bars and beats typed in; a fraction is not a bar and changes nothing.
    page.get_by_test_id("loop-start-bar").fill("2:3")
    page.get_by_test_id("loop-start-bar").blur()
    page.wait_for_function("window.__keycraft.loop.start === 2880")
    expect(page.get_by_test_id("loop-start-bar")).to_have_value("2:3")
    page.get_by_test_id("loop-end-bar").fill("6.33")
    page.get_by_test_id("loop-end-bar").blur()
    expect(page.get_by_test_id("loop-end-bar")).to_have_value("4")  # shown again, not taken
    assert page.evaluate("window.__keycraft.loop.end") == 5760

    # Play with the playhead before the loop: playback starts at the loop start.
    x, _ = _point(page, 0, 60)
    page.mouse.click(x, ruler_y)
    assert page.evaluate("window.__keycraft.playheadTick") < 100
    page.get_by_test_id("play").click()
    page.wait_for_function("window.__keycraft.transportState === 'started'")
    page.wait_for_function("window.__keycraft.playheadTick > 2880")
    assert page.evaluate("window.__keycraft.playheadTick") < 5760
    page.get_by_test_id("stop").click()
    page.wait_for_function("window.__keycraft.transportState === 'stopped'")

    # Metronome, speed and zoom, then a reload: everything comes back as it was left.
    page.get_by_test_id("metronome").click()
    _choose_speed(page, "75%")
    page.get_by_test_id("zoom-in").click()
    page.wait_for_function("window.__keycraft.pxPerBeat === 120")
    expected = ProjectSettings(
        loop_enabled=True,
        loop_start_tick=2880,
        loop_end_tick=5760,
        metronome=True,
        practice_speed_percent=75,
        px_per_beat=120.0,
    )
    _wait_for(lambda: _settings(app, user_id, project_id) == expected, "stored settings")
    assert _stored(app, user_id, project_id).version == 1  # the notes were never re-saved

    page.reload()
    expect(page.get_by_test_id("piano-roll")).to_be_visible(timeout=30_000)
    page.wait_for_function("window.__keycraft !== undefined && window.__keycraft.noteCount === 48")
    expect(page.get_by_test_id("loop")).to_have_attribute("data-state", "checked")
    expect(page.get_by_test_id("loop-start-bar")).to_have_value("2:3")
    expect(page.get_by_test_id("loop-end-bar")).to_have_value("4")
    expect(page.get_by_test_id("metronome")).to_have_attribute("data-state", "checked")
    expect(page.get_by_test_id("practice-speed")).to_have_text("75%")
    page.wait_for_function("window.__keycraft.pxPerBeat === 120")
    assert page.evaluate("window.__keycraft.loop") == {"enabled": True, "start": 2880, "end": 5760}
    assert page.evaluate("window.__keycraft.practiceSpeed") == 0.75
    assert console.errors == []
