"""Journeys in the piano-roll editor: projects, drawing, undo, MIDI in and out, playback."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import mido
import pretty_midi
import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect

from keycraft.services.domain import Note, Project
from keycraft.services.downloads import EXPORT_FAILED_MESSAGE
from keycraft.services.notes.midi_io import import_midi, read_text
from tests.e2e.conftest import ConsoleLog
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.signed_in import create_user, signed_in_context
from tests.support.waiting import wait_for

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def user_page(browser: Browser, app: RunningApp, console: ConsoleLog) -> Iterator[tuple[Page, str]]:
    """A page signed in as a fresh user, and that user's id."""
    user = create_user(app)
    context = signed_in_context(browser, app, user)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    yield page, user.id
    context.close()


def _wait_for(check: Callable[[], bool], what: str, timeout_s: float = 10.0) -> None:
    wait_for(check, what, timeout_s)


def _stored(app: RunningApp, user_id: str, project_id: str) -> Project:
    project = app.repository().get_project(user_id, project_id)
    assert project is not None
    return project


def _open(page: Page, app: RunningApp, project_id: str) -> None:
    page.goto(f"{app.url}/editor/{project_id}")
    expect(page.get_by_test_id("piano-roll")).to_be_visible(timeout=30_000)
    page.wait_for_function("window.__keycraft !== undefined")


def _point(page: Page, tick: int, pitch: int) -> tuple[float, float]:
    point = page.evaluate(f"window.__keycraft.pointFor({tick}, {pitch})")
    return point["x"], point["y"]


def _seed(app: RunningApp, user_id: str, notes: tuple[Note, ...], title: str = "Seeded") -> str:
    repo = app.repository()
    user = repo.get_user(user_id)
    assert user is not None
    project = replace(make_project(user, title=title, notes=0), notes=notes)
    repo.create_project(project)
    return project.id


def test_create_a_project_from_the_list_and_rename_duplicate_delete(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    page.goto(f"{app.url}/projects")
    page.get_by_test_id("new-project-title").fill("Minuet in G")
    page.get_by_test_id("new-project").click()
    page.wait_for_url("**/editor/*", timeout=30_000)
    expect(page.get_by_test_id("project-title")).to_have_value("Minuet in G")
    expect(page.get_by_test_id("note-count")).to_have_text("0")
    project_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert _stored(app, user_id, project_id).title == "Minuet in G"

    page.get_by_test_id("project-title").fill("Minuet in G major")
    page.get_by_test_id("project-title").press("Enter")
    _wait_for(lambda: _stored(app, user_id, project_id).title == "Minuet in G major", "rename")

    page.goto(f"{app.url}/projects")
    expect(page.get_by_test_id("project-row")).to_have_count(1)
    page.get_by_test_id("duplicate-project").click()
    expect(page.get_by_test_id("project-row")).to_have_count(2)
    expect(page.get_by_text("Minuet in G major (copy)")).to_be_visible()
    page.get_by_test_id("delete-project").first.click()
    page.get_by_test_id("confirm-delete").click()
    expect(page.get_by_test_id("project-row")).to_have_count(1)
    assert len(app.repository().list_projects(user_id)) == 1
    assert console.errors == []


def test_draw_move_delete_and_undo_notes_are_saved(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    project_id = _seed(app, user_id, ())
    _open(page, app, project_id)
    count = page.get_by_test_id("note-count")

    x, y = _point(page, 0, 60)
    page.mouse.click(x + 2, y)  # draw tool, 1/16 grid: a 120-tick C4 at tick 0
    expect(count).to_have_text("1")
    _wait_for(lambda: _stored(app, user_id, project_id).notes == (Note(0, 120, 60, 90),), "draw")
    expect(page.get_by_test_id("save-status")).to_have_text("Saved")

    # Drag the note one beat later and a tone higher.
    x, y = _point(page, 30, 60)
    x2, y2 = _point(page, 510, 62)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move((x + x2) / 2, (y + y2) / 2, steps=4)
    page.mouse.move(x2, y2, steps=4)
    page.mouse.up()
    _wait_for(lambda: _stored(app, user_id, project_id).notes == (Note(480, 120, 62, 90),), "move")

    page.keyboard.press("Delete")
    expect(count).to_have_text("0")
    _wait_for(lambda: _stored(app, user_id, project_id).notes == (), "delete")

    page.get_by_test_id("undo").click()
    expect(count).to_have_text("1")
    _wait_for(lambda: _stored(app, user_id, project_id).notes == (Note(480, 120, 62, 90),), "undo")
    page.get_by_test_id("redo").click()
    expect(count).to_have_text("0")

    # Nothing is lost on reload.
    page.get_by_test_id("undo").click()
    expect(count).to_have_text("1")
    _wait_for(lambda: len(_stored(app, user_id, project_id).notes) == 1, "undo again")
    page.reload()
    expect(page.get_by_test_id("note-count")).to_have_text("1", timeout=30_000)
    page.wait_for_function("window.__keycraft && window.__keycraft.noteCount === 1")
    page.wait_for_timeout(300)  # a stale patch would show up as a second note here
    assert page.evaluate("window.__keycraft.noteCount") == 1
    assert console.errors == []


def _midi_file(note_count: int) -> bytes:
    midi = mido.MidiFile(type=1, ticks_per_beat=240)
    conductor = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(100))])
    melody = mido.MidiTrack()
    for i in range(note_count):
        melody.append(mido.Message("note_on", note=60 + i % 12, velocity=80, time=0))
        melody.append(mido.Message("note_off", note=60 + i % 12, time=120))
    bass = mido.MidiTrack(
        [
            mido.Message("note_on", note=36, velocity=70, time=0),
            mido.Message("note_off", note=36, time=960),
        ]
    )
    midi.tracks.extend([conductor, melody, bass])
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def test_import_a_midi_file_and_refuse_a_non_midi_one(
    app: RunningApp, user_page: tuple[Page, str]
) -> None:
    page, user_id = user_page
    project_id = _seed(app, user_id, ())
    _open(page, app, project_id)
    expect(page.get_by_test_id("note-count")).to_have_text("0")

    page.get_by_test_id("import-midi").set_input_files(
        {"name": "bad.mid", "mimeType": "audio/midi", "buffer": b"this is not midi"}
    )
    expect(page.get_by_test_id("editor-message")).to_contain_text("not a MIDI file")
    expect(page.get_by_test_id("note-count")).to_have_text("0")

    # Two note tracks: the editor asks which to take (an empty project asks nothing else).
    data = _midi_file(36)
    page.get_by_test_id("import-midi").set_input_files(
        {"name": "scale.mid", "mimeType": "audio/midi", "buffer": data}
    )
    page.get_by_test_id("import-track").click()
    page.get_by_role("option", name="Track 2: untitled (1 notes)").click()
    page.get_by_test_id("confirm-import").click()
    expect(page.get_by_test_id("note-count")).to_have_text("1")
    _wait_for(
        lambda: _stored(app, user_id, project_id).notes == (Note(0, 1920, 36, 70),), "bass only"
    )
    # Now the project has notes: replacing them is asked first.
    page.get_by_test_id("import-midi").set_input_files(
        {"name": "scale.mid", "mimeType": "audio/midi", "buffer": data}
    )
    page.get_by_test_id("import-choice-replace").click()
    page.get_by_test_id("confirm-import").click()
    expect(page.get_by_test_id("note-count")).to_have_text("37")
    page.wait_for_function("window.__keycraft.noteCount === 37")
    expected = import_midi(data).notes
    _wait_for(lambda: _stored(app, user_id, project_id).notes == expected, "import saved")
    assert _stored(app, user_id, project_id).tempo_bpm == 100.0
    expect(page.get_by_test_id("editor-message")).to_have_count(0)


def _one_track_midi(pitches: list[int]) -> bytes:
    midi = mido.MidiFile(type=0, ticks_per_beat=480)
    track = mido.MidiTrack()
    for pitch in pitches:
        track.append(mido.Message("note_on", note=pitch, velocity=80, time=0))
        track.append(mido.Message("note_off", note=pitch, time=480))
    midi.tracks.append(track)
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def test_import_into_a_project_with_notes_asks_replace_new_project_or_cancel(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    mine = (Note(0, 480, 60, 90), Note(480, 480, 62, 90))
    project_id = _seed(app, user_id, mine, title="Mine")
    _open(page, app, project_id)
    count = page.get_by_test_id("note-count")
    expect(count).to_have_text("2")
    midi = FilePayload(name="Arpège 月光.mid", mimeType="audio/midi", buffer=_one_track_midi([72]))
    dialog = page.get_by_test_id("import-choice")
    import_button = page.locator("#import-midi-button")

    # Cancel from the keyboard: Escape closes it, nothing changes, focus goes back.
    page.get_by_test_id("import-midi").set_input_files(midi)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("This project already has notes")
    expect(page.get_by_test_id("import-choice-cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(import_button).to_be_focused()
    expect(count).to_have_text("2")

    # Replace, from the keyboard (Tab to the last answer), then Undo brings the notes back.
    page.get_by_test_id("import-midi").set_input_files(midi)
    expect(page.get_by_test_id("import-choice-cancel")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("import-choice-replace")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(count).to_have_text("1")
    _wait_for(lambda: _stored(app, user_id, project_id).notes == (Note(0, 480, 72, 80),), "replace")
    expect(import_button).to_be_focused()
    page.get_by_test_id("undo").click()
    expect(count).to_have_text("2")
    _wait_for(lambda: set(_stored(app, user_id, project_id).notes) == set(mine), "undo import")

    # A new project: this one stays as it is, the file opens under its own name.
    page.get_by_test_id("import-midi").set_input_files(midi)
    page.get_by_test_id("import-choice-new").click()
    page.wait_for_url(lambda url: "/editor/" in url and project_id not in url, timeout=30_000)
    expect(page.get_by_test_id("project-title")).to_have_value("Arpège 月光")
    expect(page.get_by_test_id("note-count")).to_have_text("1")
    projects = {p.title: p for p in app.repository().list_projects(user_id)}
    assert set(projects) == {"Mine", "Arpège 月光"}
    assert set(_stored(app, user_id, project_id).notes) == set(mine)
    assert console.errors == []


def test_play_and_stop_move_the_playhead(app: RunningApp, user_page: tuple[Page, str]) -> None:
    page, user_id = user_page
    notes = tuple(Note(i * 240, 240, 60 + i % 5, 90) for i in range(16))
    project_id = _seed(app, user_id, notes)
    _open(page, app, project_id)
    page.get_by_test_id("play").click()
    page.wait_for_function("window.__keycraft.transportState === 'started'")
    page.wait_for_function("window.__keycraft.playheadTick > 240")
    # The rendered piano samples load from assets/ (the synth is only the fallback).
    page.wait_for_function("window.__keycraft.instrument === 'samples'")
    page.get_by_test_id("stop").click()
    page.wait_for_function("window.__keycraft.transportState === 'stopped'")
    assert page.evaluate("window.__keycraft.playheadTick") == 0
    # Space toggles playback from the roll.
    page.get_by_test_id("piano-roll").focus()
    page.keyboard.press(" ")
    page.wait_for_function("window.__keycraft.transportState === 'started'")
    page.keyboard.press(" ")
    page.wait_for_function("window.__keycraft.transportState === 'paused'")
    page.screenshot(path=str(SCREENSHOTS / "editor-playing.png"))


def test_export_downloads_exactly_the_editor_notes_and_counts_the_quota(
    app: RunningApp, user_page: tuple[Page, str]
) -> None:
    page, user_id = user_page
    notes = (Note(0, 480, 60, 100), Note(240, 480, 60, 50), Note(7, 333, 108, 127))
    project_id = _seed(app, user_id, notes, title="Étude Nr. 1")
    _open(page, app, project_id)
    # One edit in the browser first: the export must include it.
    page.get_by_test_id("tempo").fill("96")
    page.get_by_test_id("tempo").blur()
    _wait_for(lambda: _stored(app, user_id, project_id).tempo_bpm == 96, "tempo saved")
    x, y = _point(page, 1920, 72)
    page.mouse.click(x + 2, y)
    expect(page.get_by_test_id("note-count")).to_have_text("4")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-midi").click()
    download = download_info.value
    assert download.suggested_filename == "Étude Nr. 1.mid"
    expect(page.get_by_test_id("quota-meter")).to_have_text("2 of 3 left")
    path = download.path()
    exported = import_midi(path.read_bytes())
    expected = {*notes, Note(1920, 120, 72, 90)}
    assert set(exported.notes) == expected and len(exported.notes) == 4
    assert exported.tempo_bpm == pytest.approx(96)

    # The Free plan allows three downloads a month; the fourth is refused with 402.
    request = page.context.request
    url = f"{app.url}/api/projects/{project_id}/midi"
    assert request.get(url).status == 200
    assert request.get(url).status == 200
    refused = request.get(url)
    assert refused.status == 402
    body = refused.json()
    assert body["error"] == "quota_exceeded"
    assert (body["limit"], body["used"]) == (3, 3)
    assert body["upgrade_url"].endswith("/pricing")
    assert "reset_date" in body
    page.reload()
    expect(page.get_by_test_id("quota-meter")).to_have_text("0 of 3 left")
    page.get_by_test_id("export-midi").click()
    dialog = page.get_by_test_id("upgrade-dialog")
    expect(dialog).to_contain_text("3 downloads a month")
    expect(page.get_by_test_id("upgrade-link")).to_have_attribute("href", "/pricing")


def test_a_unicode_title_exports_and_a_failed_export_costs_nothing(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    title = "Nocturne – Op.9 月光"
    notes = (Note(0, 480, 60, 90), Note(480, 960, 64, 70))
    project_id = _seed(app, user_id, notes, title=title)
    _open(page, app, project_id)
    meter = page.get_by_test_id("quota-meter")
    expect(meter).to_have_text("3 of 3 left")

    # The media store refuses the file (a file stands where the exports folder must go).
    media = Path(app.env["MEDIA_DIR"]) / "users" / user_id / "projects" / project_id
    media.mkdir(parents=True, exist_ok=True)
    (media / "exports").write_bytes(b"")
    page.get_by_test_id("export-midi").click()
    expect(page.get_by_test_id("editor-message")).to_have_text(EXPORT_FAILED_MESSAGE)
    expect(meter).to_have_text("3 of 3 left")
    assert app.repository().get_quota(user_id).used == 0

    (media / "exports").unlink()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-midi").click()
    download = download_info.value
    assert download.suggested_filename == f"{title}.mid"
    expect(meter).to_have_text("2 of 3 left")
    expect(page.get_by_test_id("editor-message")).to_have_count(0)
    assert app.repository().get_quota(user_id).used == 1

    data = download.path().read_bytes()
    assert set(import_midi(data).notes) == set(notes)
    assert mido.MidiFile(file=io.BytesIO(data), charset="utf-8").tracks[0].name == title
    pm = pretty_midi.PrettyMIDI(io.BytesIO(data))
    assert sorted(n.pitch for i in pm.instruments for n in i.notes) == [60, 64]
    assert {read_text(i.name) for i in pm.instruments} == {title}
    assert console.errors == []


def test_signed_out_visitors_and_strangers_get_no_midi(
    app: RunningApp, user_page: tuple[Page, str], browser: Browser
) -> None:
    page, user_id = user_page
    project_id = _seed(app, user_id, (Note(0, 10, 60, 1),))
    anonymous = browser.new_context()
    assert anonymous.request.get(f"{app.url}/api/projects/{project_id}/midi").status == 401
    anonymous.close()
    stranger = signed_in_context(browser, app, create_user(app))
    assert stranger.request.get(f"{app.url}/api/projects/{project_id}/midi").status == 404
    stranger.close()


def test_select_copy_paste_duplicate_quantize_and_transpose(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    notes = (Note(0, 240, 60, 90), Note(250, 230, 64, 90), Note(1920, 480, 48, 90))
    project_id = _seed(app, user_id, notes)
    _open(page, app, project_id)

    def stored() -> set[Note]:
        return set(_stored(app, user_id, project_id).notes)

    # Rubber-band the first two notes with the select tool.
    page.get_by_test_id("tool").get_by_role("radio").nth(1).click()
    page.wait_for_function("window.__keycraft.tool === 'select'")
    x0, y0 = _point(page, 0, 66)
    x1, y1 = _point(page, 700, 59)
    page.mouse.move(x0 - 1, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=5)
    page.mouse.up()
    expect(page.get_by_test_id("selection-count")).to_have_text("2")

    # Quantize snaps the off-grid note (250 → 240, 230 ticks → 240).
    page.keyboard.press("q")
    _wait_for(lambda: Note(240, 240, 64, 90) in stored(), "quantize")

    # Copy, move the playhead to bar 3 by clicking the ruler, paste there.
    page.keyboard.press("Control+c")
    ruler_x, _ = _point(page, 3840, 60)
    roll_top = page.get_by_test_id("piano-roll").bounding_box()
    assert roll_top is not None
    page.mouse.click(ruler_x - 1, roll_top["y"] + 8)
    page.get_by_test_id("piano-roll").focus()
    page.keyboard.press("Control+v")
    expect(page.get_by_test_id("note-count")).to_have_text("5")
    _wait_for(lambda: {Note(3840, 240, 60, 90), Note(4080, 240, 64, 90)} <= stored(), "paste")

    # The pasted notes are selected: duplicate them right after themselves.
    page.keyboard.press("Control+d")
    expect(page.get_by_test_id("note-count")).to_have_text("7")
    _wait_for(lambda: {Note(4320, 240, 60, 90), Note(4560, 240, 64, 90)} <= stored(), "dup")

    # The toolbar transposes the selection (the duplicates) an octave up.
    page.get_by_test_id("transpose-octave-up").click()
    _wait_for(lambda: {Note(4320, 240, 72, 90), Note(4560, 240, 76, 90)} <= stored(), "octave")

    # Alt+arrow keys move the selection by a grid step and a semitone; undo walks back.
    page.get_by_test_id("piano-roll").focus()
    page.keyboard.press("Alt+ArrowDown")
    _wait_for(lambda: Note(4320, 240, 71, 90) in stored(), "semitone down")
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")
    _wait_for(lambda: Note(4320, 240, 60, 90) in stored(), "undo twice")
    assert len(stored()) == 7
    page.keyboard.press("?")
    expect(page.get_by_test_id("shortcut-help")).to_be_visible()
    assert console.errors == []


def _drag(page: Page, start: tuple[float, float], end: tuple[float, float], steps: int = 6) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=steps)
    page.mouse.up()


def _lane_point(page: Page, tick: int, velocity: int) -> tuple[float, float]:
    point = page.evaluate(f"window.__keycraft.lanePointFor({tick}, {velocity})")
    return point["x"], point["y"]


def _open_tall(page: Page, app: RunningApp, project_id: str) -> None:
    """Open the editor in a window tall enough to show the roll's lane and scrollbar."""
    page.set_viewport_size({"width": 1280, "height": 1000})
    _open(page, app, project_id)
    page.get_by_test_id("piano-roll").scroll_into_view_if_needed()


def _ruler_y(page: Page) -> float:
    box = page.get_by_test_id("piano-roll").bounding_box()
    assert box is not None
    return box["y"] + 8


def test_velocity_lane_sets_the_selection_or_paints_bars_in_one_commit(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    notes = (Note(0, 240, 60, 90), Note(480, 240, 62, 90), Note(960, 240, 64, 90))
    project_id = _seed(app, user_id, notes)
    _open_tall(page, app, project_id)

    def stored() -> set[Note]:
        return set(_stored(app, user_id, project_id).notes)

    # Select the first two notes, then drag the first one's bar down to 40: both follow.
    x, y = _point(page, 60, 60)
    page.mouse.click(x, y)
    x, y = _point(page, 540, 62)
    page.keyboard.down("Shift")
    page.mouse.click(x, y)
    page.keyboard.up("Shift")
    expect(page.get_by_test_id("selection-count")).to_have_text("2")
    _drag(page, _lane_point(page, 0, 90), _lane_point(page, 0, 40))

    def velocities() -> list[int]:
        return [n.velocity for n in sorted(stored(), key=lambda n: n.start_tick)]

    # The lane is 64 px for 127 values: a pixel either way is a velocity or two.
    _wait_for(lambda: velocities()[0] != 90, "selection velocity")
    first, second, third = velocities()
    assert first == second and abs(first - 40) <= 2 and third == 90
    expected = stored()

    # With nothing selected a drag across the lane paints every bar it crosses.
    page.keyboard.press("Escape")
    _drag(page, _lane_point(page, 0, 120), _lane_point(page, 1000, 120), steps=12)
    _wait_for(lambda: velocities()[2] != 90, "painted velocity")
    painted = velocities()
    assert painted[0] == painted[1] == painted[2] and abs(painted[0] - 120) <= 2

    # Each drag was one commit: one undo takes the paint back as a whole.
    page.keyboard.press("Control+z")
    _wait_for(lambda: stored() == expected, "undo paint")
    assert console.errors == []


def test_loop_is_drawn_and_adjusted_on_the_ruler_and_a_click_still_seeks(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    project_id = _seed(app, user_id, (Note(0, 480, 60, 90),))
    _open(page, app, project_id)
    ruler_y = _ruler_y(page)
    start_x, _ = _point(page, 1920, 60)
    end_x, _ = _point(page, 5760, 60)

    page.keyboard.down("Shift")
    _drag(page, (start_x, ruler_y), (end_x, ruler_y))
    page.keyboard.up("Shift")
    expect(page.get_by_test_id("loop-start-bar")).to_have_value("2")
    expect(page.get_by_test_id("loop-end-bar")).to_have_value("4")
    expect(page.get_by_test_id("loop")).to_have_attribute("data-state", "checked")
    assert page.evaluate("window.__keycraft.loop") == {"enabled": True, "start": 1920, "end": 5760}

    # Drag the end edge to the middle of bar 5: beat 3 (loops snap to beats).
    middle_x, _ = _point(page, 8640, 60)
    _drag(page, (end_x - 1, ruler_y), (middle_x, ruler_y))
    expect(page.get_by_test_id("loop-end-bar")).to_have_value("5:3")

    # A plain click on the ruler moves the playhead and leaves the loop alone.
    seek_x, _ = _point(page, 960, 60)
    page.mouse.click(seek_x, ruler_y)
    assert abs(page.evaluate("window.__keycraft.playheadTick") - 960) < 20
    assert page.evaluate("window.__keycraft.loop.end") == 8640

    # The bar inputs set the loop too.
    page.get_by_test_id("loop-start-bar").fill("3")
    page.get_by_test_id("loop-start-bar").blur()
    page.wait_for_function("window.__keycraft.loop.start === 3840")
    assert console.errors == []


def test_scrollbars_wheel_zoom_and_home_end(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    notes = tuple(Note(i * 1920, 480, 48 + i % 24, 90) for i in range(40))
    project_id = _seed(app, user_id, notes)
    _open_tall(page, app, project_id)
    view = "[window.__keycraft.scrollXPx, window.__keycraft.scrollYPx]"
    assert page.evaluate("window.__keycraft.scrollXPx") == 0

    # Drag the horizontal thumb to the right, the vertical one down.
    thumb = page.evaluate("window.__keycraft.thumb('x')")
    _drag(page, (thumb["x"], thumb["y"]), (thumb["x"] + 200, thumb["y"]))
    scroll_x, scroll_y = page.evaluate(view)
    assert scroll_x > 200
    thumb = page.evaluate("window.__keycraft.thumb('y')")
    _drag(page, (thumb["x"], thumb["y"]), (thumb["x"], thumb["y"] + 60))
    assert page.evaluate("window.__keycraft.scrollYPx") > scroll_y

    # Wheel scrolls vertically, Shift+wheel horizontally.
    x, y = _point(page, 40 * 1920, 60)
    box = page.get_by_test_id("piano-roll").bounding_box()
    assert box is not None
    centre = (box["x"] + box["width"] / 2, box["y"] + 200)
    page.mouse.move(*centre)
    page.get_by_test_id("piano-roll").focus()
    page.evaluate("window.__keycraft.drawTimes()")
    page.keyboard.press("Home")
    assert page.evaluate(view)[0] == 0
    before_y = page.evaluate("window.__keycraft.scrollYPx")
    page.mouse.wheel(0, -60)
    page.wait_for_function(f"window.__keycraft.scrollYPx < {before_y}")
    page.keyboard.down("Shift")
    page.mouse.wheel(0, 120)
    page.keyboard.up("Shift")
    page.wait_for_function("window.__keycraft.scrollXPx > 0")

    # Ctrl+wheel zooms in time around the pointer; Alt+wheel makes the rows taller.
    tick_at = "window.__keycraft.pointFor(0, 60).x"
    before_px = page.evaluate("window.__keycraft.pxPerBeat")
    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Control")
    page.wait_for_function(f"window.__keycraft.pxPerBeat > {before_px}")
    before_key = page.evaluate("window.__keycraft.keyHeightPx")
    page.keyboard.down("Alt")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Alt")
    page.wait_for_function(f"window.__keycraft.keyHeightPx > {before_key}")
    assert page.evaluate(tick_at) is not None

    # End jumps to the end of the music, Home back to the start.
    page.keyboard.press("End")
    assert page.evaluate("window.__keycraft.playheadTick") == 39 * 1920 + 480
    assert page.evaluate("window.__keycraft.scrollXPx") > 0
    page.keyboard.press("Home")
    assert page.evaluate("window.__keycraft.playheadTick") == 0
    assert page.evaluate("window.__keycraft.scrollXPx") == 0
    assert x > 0 and y > 0
    assert console.errors == []


def test_tool_shortcuts_reach_the_toolbar_and_the_help(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    project_id = _seed(app, user_id, (Note(0, 480, 60, 90),))
    _open(page, app, project_id)
    radios = page.get_by_test_id("tool").get_by_role("radio")
    page.get_by_test_id("piano-roll").focus()
    page.keyboard.press("s")
    expect(radios.nth(1)).to_have_attribute("aria-checked", "true")
    assert page.evaluate("window.__keycraft.tool") == "select"
    page.keyboard.press("b")
    expect(radios.nth(0)).to_have_attribute("aria-checked", "true")
    page.keyboard.press("v")
    expect(radios.nth(1)).to_have_attribute("aria-checked", "true")
    page.keyboard.press("d")
    expect(radios.nth(0)).to_have_attribute("aria-checked", "true")
    # The toolbar choice reaches the roll as well.
    radios.nth(1).click()
    page.wait_for_function("window.__keycraft.tool === 'select'")
    page.get_by_test_id("piano-roll").focus()
    page.keyboard.press("?")
    help_text = page.get_by_test_id("shortcut-help")
    for keys in ("D or B", "S or V", "Home, End", "Shift + drag the ruler", "Alt + wheel"):
        expect(help_text).to_contain_text(keys)
    assert console.errors == []


def test_autosave_coalesces_a_burst_and_an_edit_survives_an_immediate_reload(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    project_id = _seed(app, user_id, (Note(0, 480, 40, 90),))
    _open(page, app, project_id)
    page.on("dialog", lambda dialog: dialog.accept())
    version_before = _stored(app, user_id, project_id).version
    x, y = _point(page, 60, 40)
    page.mouse.click(x, y)
    expect(page.get_by_test_id("selection-count")).to_have_text("1")

    # Thirty key presses in one go: every one is an undo step, far fewer saves run.
    unsaved = page.evaluate(
        """() => {
          const roll = document.querySelector('[data-testid="piano-roll"]');
          const up = { key: 'ArrowUp', altKey: true, bubbles: true };
          for (let i = 0; i < 30; i++) roll.dispatchEvent(new KeyboardEvent('keydown', up));
          return window.__keycraft.unsaved;
        }"""
    )
    assert unsaved is True
    _wait_for(lambda: _stored(app, user_id, project_id).notes == (Note(0, 480, 70, 90),), "burst")
    page.wait_for_function("window.__keycraft.unsaved === false")
    expect(page.get_by_test_id("save-status")).to_have_text("Saved")
    saves = _stored(app, user_id, project_id).version - version_before
    assert 1 <= saves < 30

    # An edit, then a reload straight away: the edit is there afterwards.
    page.keyboard.press("Delete")
    page.reload()
    expect(page.get_by_test_id("note-count")).to_have_text("0", timeout=30_000)
    page.wait_for_function("window.__keycraft && window.__keycraft.noteCount === 0")
    _wait_for(lambda: _stored(app, user_id, project_id).notes == (), "delete saved")
    assert console.errors == []


# Records every text the editor's message banner shows, so a passing one is not missed.
_WATCH_MESSAGES = """() => {
  window.__messagesSeen = [];
  new MutationObserver(() => {
    const banner = document.querySelector('[data-testid="editor-message"]');
    if (banner) window.__messagesSeen.push(banner.textContent);
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
}"""


def test_export_right_after_a_burst_waits_for_the_save_and_downloads_the_final_notes(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    project_id = _seed(app, user_id, (Note(0, 480, 40, 90),), title="Burst")
    _open(page, app, project_id)
    x, y = _point(page, 60, 40)
    page.mouse.click(x, y)
    expect(page.get_by_test_id("selection-count")).to_have_text("1")
    page.evaluate(_WATCH_MESSAGES)

    # Thirty key presses and Export in one go: the export arrives while the saver runs.
    with page.expect_download(timeout=20_000) as download_info:
        page.evaluate(
            """() => {
              const roll = document.querySelector('[data-testid="piano-roll"]');
              const up = { key: 'ArrowUp', altKey: true, bubbles: true };
              for (let i = 0; i < 30; i++) roll.dispatchEvent(new KeyboardEvent('keydown', up));
              document.querySelector('[data-testid="export-midi"]').click();
            }"""
        )
    song = mido.MidiFile(file=io.BytesIO(download_info.value.path().read_bytes()))
    pitches = [m.note for t in song.tracks for m in t if m.type == "note_on" and m.velocity > 0]
    assert pitches == [70]
    assert "Saving before export…" in page.evaluate("window.__messagesSeen")
    expect(page.get_by_test_id("editor-message")).to_have_count(0)
    assert _stored(app, user_id, project_id).notes == (Note(0, 480, 70, 90),)
    # One click, one download counted.
    expect(page.get_by_test_id("quota-meter")).to_have_text("2 of 3 left")
    assert console.errors == []
