"""Journey: a transcription with tracked beats opens in its metre; the learner re-reads it.

The main journey uploads a minuet rendered with FluidSynth to the real transcription
service, whose beat tracker hears it in three.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from keycraft.services.domain import Project, TimeSignature
from keycraft.services.jobs.runner import timing_from
from keycraft.services.notes.timing import (
    bar_lines,
    seconds_per_tick,
    seconds_to_tick,
    tick_to_seconds,
)
from keycraft.services.transcription.client import TranscribedBeat, TranscribedNote, Transcription
from keycraft.services.transcription.recordings import notes_from_transcription
from tests.e2e.conftest import ConsoleLog
from tests.e2e.test_accessibility import _blocking_violations
from tests.e2e.test_editor import (
    SCREENSHOTS,
    _point,
    _ruler_y,
    _stored,
    _wait_for,
    user_page,
)
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.recordings import render_wav
from tests.support.signed_in import create_user, signed_in_context
from tests.support.transcriber_server import RealTranscriber
from tests.support.visitors import PHONE_UA
from transcriber.evaluation.metred import minuet_ritardando

__all__ = ["user_page"]  # the signed-in page fixture, shared with test_editor

TITLE = "Minuet with ritardando"
BEAT_COUNT = 48


def _minuet() -> Transcription:
    """What the service answers for a 3/4 minuet: one-beat pickup, slowing at the end."""
    beats, notes, time_s = [], [], 0.4
    for index in range(BEAT_COUNT):
        beats.append(TranscribedBeat(round(time_s, 4), (index - 1) % 3 == 0))
        notes.append(TranscribedNote(time_s, time_s + 0.3, 60 + index % 12, 80))
        time_s += 0.5 * (1 + max(0, index - 36) / 24)
    return Transcription(
        "transkun", time_s + 1, 1.0, tuple(notes), beats=tuple(beats), meter=TimeSignature(3, 4)
    )


def _seed(app: RunningApp, user_id: str, heard: Transcription) -> str:
    """Fill a project as the worker fills it from that answer."""
    repo = app.repository()
    user = repo.get_user(user_id)
    assert user is not None
    timing = timing_from(heard)
    assert timing is not None
    notes = notes_from_transcription(
        heard.notes, timing.tempo_bpm, tempo_changes=timing.tempo_changes
    )
    project = replace(make_project(user, title=TITLE, notes=0), notes=tuple(notes))
    repo.create_project(project.with_timing(timing))
    return project.id


def _note_starts_s(project: Project) -> list[float]:
    """When each stored note starts, in seconds of the recording, in time order."""
    return sorted(tick_to_seconds(n.start_tick, project.tempo_map) for n in project.notes)


def _keeps_note_times(project: Project, played_s: list[float]) -> bool:
    """Whether every stored note starts when it was played (within the slowest tick)."""
    slack_s = max(seconds_per_tick(c.tempo_bpm) for c in project.tempo_map)
    starts = _note_starts_s(project)
    return all(abs(a - b) <= slack_s for a, b in zip(starts, played_s, strict=True))


def test_a_transcribed_minuet_opens_in_three_and_every_correction_is_kept(
    app: RunningApp,
    user_page: tuple[Page, str],
    transcriber: RealTranscriber,
    tmp_path: Path,
    console: ConsoleLog,
) -> None:
    page, user_id = user_page
    minuet = minuet_ritardando()  # 3/4, slowing from 126 to 84 bpm over its last two bars

    # From home to the projects page, where the rendered recording is uploaded.
    page.goto(app.url)
    page.get_by_role("banner").get_by_test_id("nav-projects").click()
    expect(page.get_by_test_id("upload-audio")).to_be_attached(timeout=30_000)
    page.get_by_test_id("transcribe-model").click()
    page.get_by_role("option", name="Fast").click()
    page.get_by_test_id("upload-audio").set_input_files(
        {
            "name": "Minuet.wav",
            "mimeType": "audio/wav",
            "buffer": render_wav(minuet.piece, tmp_path),
        }
    )
    page.wait_for_url("**/editor/*", timeout=60_000)
    expect(page.get_by_test_id("job-status")).to_contain_text("Transcribed", timeout=180_000)
    project_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.wait_for_function("window.__keycraft !== undefined")

    # It opens in 3/4, bar 1 on the first downbeat heard, following the performance.
    control = page.get_by_role("button", name="Tempo & metre")
    expect(control).to_have_attribute("data-meter", "3/4")
    expect(control).to_have_attribute("data-tempo-mode", "follow")
    opened = _stored(app, user_id, project_id)
    track = opened.beat_track
    assert track.meter == TimeSignature(3, 4) and len(track.beats) >= 12
    first = track.first_downbeat_index
    expect(control).to_have_attribute("data-first-downbeat", str(first))
    assert abs(track.beats[first].time_s - minuet.downbeats_s[0]) < 0.07
    # Bar lines on the downbeats heard; the ritardando shows in the tempo map.
    bars = {b.tick for b in bar_lines(opened.time_signature_map, 40_000)}
    for beat in track.beats[first::3]:
        assert round(seconds_to_tick(beat.time_s, opened.tempo_map)) in bars
    assert opened.tempo_map[-1].tempo_bpm < 0.8 * opened.tempo_map[1].tempo_bpm
    played_s = _note_starts_s(opened)
    rows = [[c.tick, c.numerator, c.denominator] for c in opened.time_signature_map]
    shown = json.dumps(rows, separators=(",", ":"))
    page.wait_for_function(f"JSON.stringify(window.__keycraft.timeSignatureMap) === '{shown}'")

    # The metre: 4/4 regroups the bars; the notes keep their times.
    control.click()
    panel = page.get_by_test_id("meter-panel")
    expect(panel).to_be_visible()
    assert _blocking_violations(page) == []  # the open panel, as axe-core sees it
    expect(panel.get_by_test_id("meter-reading")).to_contain_text("3/4, bar 1 starts on beat")
    panel.get_by_role("combobox", name="Metre of the tracked beats").click()
    page.get_by_role("option", name="4/4", exact=True).click()
    expect(control).to_have_attribute("data-meter", "4/4")
    _wait_for(lambda: _stored(app, user_id, project_id).beat_track.meter.numerator == 4, "4/4")
    assert _keeps_note_times(_stored(app, user_id, project_id), played_s)

    # The first downbeat: one beat later, then tapped at a beat the ruler was clicked on.
    panel.get_by_role("button", name="First downbeat one beat later").click()
    expect(control).to_have_attribute("data-first-downbeat", str(first + 1))
    tapped = first + 3
    beat_s = track.beats[tapped].time_s
    tick = page.evaluate(f"Math.round(window.__keycraft.tickAtSeconds({beat_s}))")
    page.keyboard.press("Escape")  # the panel closes; the ruler is clickable
    x, _ = _point(page, tick, 60)
    page.mouse.click(x, _ruler_y(page))
    page.wait_for_function(f"Math.abs(window.__keycraft.playheadTick - {tick}) <= 60")
    control.click()
    panel.get_by_role("button", name="Tap the first downbeat").click()
    expect(control).to_have_attribute("data-first-downbeat", str(tapped))
    _wait_for(
        lambda: _stored(app, user_id, project_id).beat_track.first_downbeat_index == tapped, "tap"
    )
    # Bar 1 now starts on that beat, exactly: it is a bar line.
    downbeat = _stored(app, user_id, project_id)
    downbeat_tick = round(seconds_to_tick(beat_s, downbeat.tempo_map))
    assert abs(tick_to_seconds(downbeat_tick, downbeat.tempo_map) - beat_s) < 0.001
    assert downbeat_tick in {b.tick for b in bar_lines(downbeat.time_signature_map, 40_000)}

    # Bar 1's handle on the ruler, dragged two beats later and let go a little past the beat:
    # bar 1 starts on that beat.
    page.keyboard.press("Escape")
    dragged = tapped + 2
    target_tick = page.evaluate(
        f"Math.round(window.__keycraft.tickAtSeconds({track.beats[dragged].time_s}))"
    )
    handle_x, _ = _point(page, downbeat_tick, 60)
    target_x, _ = _point(page, target_tick + 40, 60)
    handle_y = _ruler_y(page) - 4  # the flag, in the ruler's top strip
    page.mouse.move(handle_x, handle_y)
    page.mouse.down()
    page.mouse.move((handle_x + target_x) / 2, handle_y, steps=4)
    page.mouse.move(target_x, handle_y, steps=4)
    page.mouse.up()
    expect(control).to_have_attribute("data-first-downbeat", str(dragged))
    _wait_for(
        lambda: _stored(app, user_id, project_id).beat_track.first_downbeat_index == dragged,
        "drag",
    )
    # Pressed and let go without moving, the handle is a click on the ruler: it seeks there.
    moved_to = _stored(app, user_id, project_id)
    handle_tick = round(seconds_to_tick(track.beats[dragged].time_s, moved_to.tempo_map))
    page.mouse.click(_point(page, handle_tick, 60)[0], handle_y)
    page.wait_for_function(f"Math.abs(window.__keycraft.playheadTick - {handle_tick}) <= 60")
    expect(control).to_have_attribute("data-first-downbeat", str(dragged))
    control.click()

    # One tempo for the whole piece, then undo and redo it.
    panel.get_by_role("radio", name="One tempo for the whole piece").click()
    expect(control).to_have_attribute("data-tempo-mode", "one")
    _wait_for(lambda: not _stored(app, user_id, project_id).beat_track.follow, "one tempo")
    one = _stored(app, user_id, project_id)
    assert len(one.tempo_changes) <= 1 and _keeps_note_times(one, played_s)
    page.keyboard.press("Escape")
    page.get_by_test_id("undo").click()
    expect(control).to_have_attribute("data-tempo-mode", "follow")
    _wait_for(lambda: _stored(app, user_id, project_id).beat_track.follow, "undone")
    page.get_by_test_id("redo").click()
    expect(control).to_have_attribute("data-tempo-mode", "one")
    _wait_for(lambda: not _stored(app, user_id, project_id).beat_track.follow, "redone")
    expect(page.get_by_test_id("save-status")).to_have_text("Saved")

    # Kept across a reload; and back to following the performance.
    page.reload()
    expect(page.get_by_test_id("piano-roll")).to_be_visible(timeout=30_000)
    expect(control).to_have_attribute("data-meter", "4/4")
    expect(control).to_have_attribute("data-first-downbeat", str(dragged))
    expect(control).to_have_attribute("data-tempo-mode", "one")
    control.click()
    panel.get_by_role("radio", name="Follow the performance").click()
    expect(control).to_have_attribute("data-tempo-mode", "follow")
    _wait_for(lambda: _stored(app, user_id, project_id).beat_track.follow, "follow again")
    assert _keeps_note_times(_stored(app, user_id, project_id), played_s)
    page.screenshot(path=str(SCREENSHOTS / "editor-meter.png"))
    assert console.errors == []
    transcriber.wait_idle()


def test_on_a_phone_the_control_is_in_the_controls_sheet_and_works_by_keyboard(
    app: RunningApp, browser: Browser, console: ConsoleLog
) -> None:
    user = create_user(app)
    project_id = _seed(app, user.id, _minuet())
    width = 390
    context = signed_in_context(
        browser,
        app,
        user,
        viewport={"width": width, "height": 844},
        has_touch=True,
        is_mobile=True,
        user_agent=PHONE_UA,
    )
    page = context.new_page()
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    page.goto(app.url)
    page.get_by_role("banner").get_by_test_id("nav-projects").tap()
    page.get_by_test_id("project-link").filter(has_text=TITLE).tap()
    expect(page.get_by_test_id("piano-roll")).to_be_visible(timeout=30_000)

    page.get_by_test_id("controls-toggle").tap()
    sheet = page.get_by_test_id("editor-controls")
    control = sheet.get_by_role("button", name="Tempo & metre")
    expect(control).to_have_attribute("data-meter", "3/4")
    # Named, described, and driven from the keyboard: open, choose 2/4, close.
    description = control.get_attribute("aria-description") or ""
    assert description.startswith("3/4, bar 1 starts on beat 2 of 48")
    control.focus()
    page.keyboard.press("Enter")
    panel = page.get_by_test_id("meter-panel")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    metre = panel.get_by_role("combobox", name="Metre of the tracked beats")
    metre.focus()
    page.keyboard.press("Enter")
    page.get_by_role("option", name="2/4", exact=True).focus()
    page.keyboard.press("Enter")
    expect(control).to_have_attribute("data-meter", "2/4")
    _wait_for(lambda: _stored(app, user.id, project_id).beat_track.meter.numerator == 2, "2/4")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    context.close()
    assert console.errors == []
