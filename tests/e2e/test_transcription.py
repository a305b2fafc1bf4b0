"""Journey: upload a recording, get a transcribed project, re-transcribe some bars of it.

The app talks to the real transcription service (gunicorn, both models); recordings are
pieces rendered with FluidSynth at test time, scored against their score with mir_eval.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from keycraft.services.domain import Note, Project
from keycraft.services.jobs.ranges import EARLY_S, bar_range
from keycraft.services.notes.timing import tick_to_seconds
from keycraft.services.transcription.client import MODEL_KNOBS
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.recordings import as_events, melody, render_wav, tone_wav
from tests.support.signed_in import create_user, signed_in_context
from tests.support.transcriber_server import RealTranscriber
from tests.support.waiting import wait_for
from transcriber.evaluation.pieces import Piece
from transcriber.evaluation.scoring import score_notes

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
FAST_MIN_NOTE_MS = MODEL_KNOBS["basic-pitch"].min_note_ms
PIANO_MIN_NOTE_MS = MODEL_KNOBS["transkun"].min_note_ms
PIECE = melody([60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62])  # 0.25–7.25 s
SHORT_PIECE = melody([60, 64, 67], first_onset_s=0.2, step_s=0.4)
SLOW_TONE_S = 80.0
"""A recording the fast model needs a few seconds for: long enough to cancel or be busy."""
IDLE_AFTER_CANCEL_S = 15.0
"""How soon the service is free after a cancel: the worker notices within its one-second
check, then the piano model at its next encoder layer (seconds on a loaded machine)."""
TRANSCRIBE_TIMEOUT_MS = 480_000
"""The accurate model runs a 16 s window whatever the clip's length: about a minute on two
idle cores, several on a busy machine."""
UPLOAD_BYTES_PER_S = 300_000  # throttled so the upload percentage is visible
STATUS_RECORDER = """
(() => {
  let last = null;
  const record = () => {
    const el = document.querySelector('[data-testid="transcription-status"]');
    const text = el ? el.textContent : null;
    if (text && text !== last) { last = text; window.__recordStatus(text); }
  };
  new MutationObserver(record).observe(document, {
    subtree: true, childList: true, characterData: true,
  });
})();
"""


@pytest.fixture
def signed_in(
    browser: Browser, app: RunningApp, transcriber: RealTranscriber
) -> Iterator[tuple[Page, str]]:
    user = create_user(app)
    context = signed_in_context(browser, app, user)
    yield context.new_page(), user.id
    context.close()
    transcriber.wait_idle()  # an abandoned transcription must not make the next test busy


def _record_statuses(page: Page) -> list[str]:
    """Every text the status line shows from now on, across navigations."""
    statuses: list[str] = []

    def record(text: str) -> None:
        statuses.append(text)

    page.expose_function("__recordStatus", record)
    page.add_init_script(STATUS_RECORDER)
    return statuses


def _wait_for(check: Callable[[], bool], what: str, timeout_s: float = 60.0) -> None:
    # A deadline, not a delay: on a machine busy with other work a job's clean-up can take
    # longer than on a quiet one, and the wait ends as soon as the state is seen.
    wait_for(check, what, timeout_s)


def _projects(app: RunningApp, user_id: str) -> list[Project]:
    found = []
    for summary in app.repository().list_projects(user_id):
        project = app.repository().get_project(user_id, summary.id)
        assert project is not None
        found.append(project)
    return found


def _onset_f1(piece: Piece, project: Project, notes: Iterable[Note] | None = None) -> float:
    """Onset F1 of the project's notes (or ``notes``), heard under its tempo map."""
    chosen = project.notes if notes is None else notes
    return score_notes(piece.notes, as_events(chosen, project.tempo_map)).onset_f1


def _stored_files(app: RunningApp, user_id: str) -> list[Path]:
    return [p for p in (Path(app.env["MEDIA_DIR"]) / "users" / user_id).rglob("*") if p.is_file()]


def _upload(page: Page, name: str, data: bytes, mime: str = "audio/wav") -> None:
    page.get_by_test_id("upload-audio").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )


def _choose_model(page: Page, label: str) -> None:
    page.get_by_test_id("transcribe-model").click()
    page.get_by_role("option", name=label).click()
    expect(page.get_by_test_id("transcribe-model")).to_have_text(label)


def _throttle_uploads(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": UPLOAD_BYTES_PER_S,
        },
    )


def _bar_ticks(project: Project, first_bar: int, last_bar: int) -> tuple[int, int]:
    """Where bars ``first_bar`` to ``last_bar`` start and end, numbered as the editor shows them.

    A transcription's bars follow the beats the service heard, not a fixed 2 s, and count
    from 1 on the first downbeat heard.
    """
    bars = bar_range(project, first_bar, last_bar + 1)
    return bars.start_tick, bars.end_tick


def _in_bars(project: Project, notes: set[Note], first_bar: int, last_bar: int) -> set[Note]:
    """The notes whose onsets are in the bars as a bar job takes them (``EARLY_S`` early)."""
    start_tick, end_tick = _bar_ticks(project, first_bar, last_bar)
    start_s = tick_to_seconds(start_tick, project.tempo_map) - EARLY_S
    end_s = tick_to_seconds(end_tick, project.tempo_map) - EARLY_S
    return {n for n in notes if start_s <= tick_to_seconds(n.start_tick, project.tempo_map) < end_s}


def test_a_rendered_recording_becomes_a_project_and_some_bars_can_be_retranscribed(
    app: RunningApp,
    signed_in: tuple[Page, str],
    transcriber: RealTranscriber,
    tmp_path: Path,
) -> None:
    page, user_id = signed_in
    statuses = _record_statuses(page)
    page.goto(f"{app.url}/projects")
    expect(page.get_by_test_id("upload-audio")).to_be_attached(timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / "projects.png"), full_page=True)
    wav = render_wav(PIECE, tmp_path)
    _choose_model(page, "Fast")  # this journey is about the flow; the fast model keeps it short
    _throttle_uploads(page)
    _upload(page, "Scale.wav", wav)
    page.wait_for_url("**/editor/*", timeout=60_000)
    expect(page.get_by_test_id("project-title")).to_have_value("Scale")

    # Upload percentage first; then the new project opens and its job fills it.
    uploading = [s for s in statuses if s.startswith("Uploading… ")]
    assert uploading and all(s.endswith("%") for s in uploading), statuses
    expect(page.get_by_test_id("job-status")).to_contain_text("Transcribed", timeout=120_000)
    (project,) = _projects(app, user_id)
    assert _onset_f1(PIECE, project) >= 0.8
    expect(page.get_by_test_id("note-count")).to_have_text(str(len(project.notes)))
    assert project.source_audio_key == f"users/{user_id}/projects/{project.id}/source.wav"
    whole = transcriber.transcriptions()[-1]
    assert whole["model"] == "basic-pitch" and whole["audio_s"] > 7.25
    page.screenshot(path=str(SCREENSHOTS / "editor-transcribed.png"), full_page=True)

    # A manual note in bar 1, and a deletion in bar 2 that re-transcribing bar 2 undoes.
    page.wait_for_function("window.__keycraft !== undefined")
    # The roll's lower rows on screen (the toolbars above it can push it past the fold).
    page.get_by_test_id("piano-roll").evaluate("(roll) => roll.scrollIntoView({block: 'end'})")
    # Two keys above the lowest row in view: on screen, and far below the scale's notes.
    manual_pitch = page.evaluate("window.__keycraft.visiblePitches")[0] + 2
    assert manual_pitch < min(n.pitch_midi for n in PIECE.notes) - 4
    bar_1_start, bar_1_end = _bar_ticks(project, 1, 1)
    manual_tick = (bar_1_start + bar_1_end) // 2
    point = page.evaluate(f"window.__keycraft.pointFor({manual_tick}, {manual_pitch})")
    page.mouse.click(point["x"] + 2, point["y"])
    expect(page.get_by_test_id("note-count")).to_have_text(str(len(project.notes) + 1))
    in_bar_2 = sorted(_in_bars(project, set(project.notes), 2, 2), key=lambda n: n.start_tick)
    victim = in_bar_2[1]
    target = page.evaluate(
        f"window.__keycraft.pointFor({victim.start_tick + 10}, {victim.pitch_midi})"
    )
    page.mouse.click(target["x"] + 2, target["y"])
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("note-count")).to_have_text(str(len(project.notes)))
    _wait_for(
        lambda: (
            victim not in _projects(app, user_id)[0].notes
            and len(_projects(app, user_id)[0].notes) == len(project.notes)
        ),
        "edits saved",
    )
    before = set(_projects(app, user_id)[0].notes)

    page.get_by_label("Re-transcribe from bar").fill("2")
    page.get_by_label("Re-transcribe up to bar").fill("3")
    page.get_by_test_id("retranscribe").click()
    # A job does it: the editor follows it and shows the bars it replaced.
    expect(page.get_by_test_id("job-status")).to_contain_text("Replaced bars 2–2", timeout=60_000)
    _wait_for(
        lambda: any(
            n.pitch_midi == victim.pitch_midi and abs(n.start_tick - victim.start_tick) < 60
            for n in _projects(app, user_id)[0].notes
        ),
        "re-transcribed bar 2 saved",
    )
    after = set(_projects(app, user_id)[0].notes)
    # Bar 1 (with the manual note), bar 3 and later are untouched; bar 2 matches the score again.
    assert after - _in_bars(project, after, 2, 2) == before - _in_bars(project, before, 2, 2)
    assert any(n.pitch_midi == manual_pitch for n in after)
    bar_2_s = [tick_to_seconds(t, project.tempo_map) for t in _bar_ticks(project, 2, 2)]
    bar_2_score = Piece(
        "bar 2",
        tuple(n for n in PIECE.notes if bar_2_s[0] - EARLY_S <= n.start_s < bar_2_s[1] - EARLY_S),
    )
    bar_2_notes = sorted(_in_bars(project, after, 2, 2), key=lambda n: n.start_tick)
    assert _onset_f1(bar_2_score, project, bar_2_notes) >= 0.8
    # Only bar 2 and half a second either side went to the transcriber.
    sliced = transcriber.transcriptions()[-1]
    assert sliced["audio_s"] == pytest.approx(bar_2_s[1] - bar_2_s[0] + 1.0, abs=0.01)


def test_upload_in_an_empty_project_fills_it_with_the_accurate_model(
    app: RunningApp, signed_in: tuple[Page, str], transcriber: RealTranscriber, tmp_path: Path
) -> None:
    page, user_id = signed_in
    user = app.repository().get_user(user_id)
    assert user is not None
    blank = make_project(user, title="Blank", notes=0)
    app.repository().create_project(blank)
    page.goto(f"{app.url}/editor/{blank.id}")
    expect(page.get_by_test_id("upload-audio")).to_be_attached(timeout=30_000)
    # The piano model is the default. Each model shows its own knobs with its own defaults:
    # the piano model has no thresholds and keeps notes down to a grace note's length, and
    # switching model puts the knobs back to that model's defaults.
    thresholds = page.get_by_test_id("threshold-knobs")
    shortest = page.get_by_label("Shortest note in milliseconds")
    expect(page.get_by_test_id("transcribe-model")).to_have_text("Piano – accurate")
    expect(thresholds).to_have_count(0)
    expect(shortest).to_have_value(str(PIANO_MIN_NOTE_MS))
    shortest.fill("300")
    expect(shortest).to_have_value("300")
    _choose_model(page, "Fast")
    expect(thresholds).to_be_visible()
    expect(shortest).to_have_value(str(FAST_MIN_NOTE_MS))
    _choose_model(page, "Piano – accurate")
    expect(thresholds).to_have_count(0)
    expect(shortest).to_have_value(str(PIANO_MIN_NOTE_MS))
    _upload(page, "Triad.wav", render_wav(SHORT_PIECE, tmp_path))
    expect(page.get_by_test_id("job-status")).to_contain_text("Transcribing…", timeout=30_000)
    # No question for an empty project: the notes land here, in this very project.
    expect(page.get_by_test_id("job-status")).to_contain_text(
        "Transcribed", timeout=TRANSCRIBE_TIMEOUT_MS
    )
    assert blank.id in page.url
    expect(page.get_by_test_id("project-title")).to_have_value("Blank")
    (filled,) = _projects(app, user_id)  # no second project
    assert filled.id == blank.id
    assert _onset_f1(SHORT_PIECE, filled) >= 0.8
    expect(page.get_by_test_id("note-count")).to_have_text(str(len(filled.notes)))
    assert filled.source_audio_key == f"users/{user_id}/projects/{blank.id}/source.wav"
    assert transcriber.transcriptions()[-1]["model"] == "transkun"
    # The upload became the project's recording: the editor's recording track plays it.
    page.wait_for_function("window.__keycraft !== undefined")
    page.get_by_test_id("play").click()
    page.wait_for_function("window.__keycraft.recording === 'loaded'", timeout=30_000)
    page.get_by_test_id("stop").click()
    assert _stored_files(app, user_id) == [
        Path(app.env["MEDIA_DIR"]) / "users" / user_id / "projects" / blank.id / "source.wav"
    ]


def test_upload_in_a_project_with_notes_asks_replace_new_project_or_cancel(
    app: RunningApp, signed_in: tuple[Page, str], tmp_path: Path
) -> None:
    page, user_id = signed_in
    user = app.repository().get_user(user_id)
    assert user is not None
    mine = (Note(0, 480, 40, 90), Note(480, 480, 41, 90))
    drawn = replace(make_project(user, title="Drawn", notes=0), notes=mine)
    app.repository().create_project(drawn)
    page.goto(f"{app.url}/editor/{drawn.id}")
    expect(page.get_by_test_id("upload-audio")).to_be_attached(timeout=30_000)
    expect(page.get_by_test_id("note-count")).to_have_text("2")
    wav = render_wav(SHORT_PIECE, tmp_path)
    dialog = page.get_by_test_id("transcribe-choice")
    status = page.get_by_test_id("job-status")

    # Cancel: nothing is transcribed, the upload is not kept, focus goes back to the button.
    _upload(page, "Triad.wav", wav)
    expect(dialog).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("transcribe-choice-cancel")).to_be_focused()
    page.get_by_test_id("transcribe-choice-cancel").click()
    expect(dialog).to_have_count(0)
    expect(page.locator("#upload-audio-button")).to_be_focused()
    assert _stored_files(app, user_id) == []
    assert not list((Path(app.env["MEDIA_DIR"]) / "tmp").rglob("*.wav"))

    # Replace: the transcription fills this project and its recording comes along.
    _upload(page, "Triad.wav", wav)
    page.get_by_test_id("transcribe-choice-replace").click()
    expect(status).to_contain_text("Transcribed", timeout=TRANSCRIBE_TIMEOUT_MS)
    assert drawn.id in page.url
    (filled,) = _projects(app, user_id)
    assert _onset_f1(SHORT_PIECE, filled) >= 0.8
    assert filled.source_audio_key == f"users/{user_id}/projects/{drawn.id}/source.wav"
    assert filled.title == "Drawn"
    expect(page.get_by_test_id("note-count")).to_have_text(str(len(filled.notes)))
    # Undo brings the drawn notes back (and saves them).
    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("note-count")).to_have_text("2")
    _wait_for(lambda: set(_projects(app, user_id)[0].notes) == set(mine), "undo saved")


def test_upload_in_a_project_with_notes_can_become_a_new_project(
    app: RunningApp, signed_in: tuple[Page, str], tmp_path: Path
) -> None:
    page, user_id = signed_in
    user = app.repository().get_user(user_id)
    assert user is not None
    mine = (Note(0, 480, 40, 90),)
    drawn = replace(make_project(user, title="Drawn", notes=0), notes=mine)
    app.repository().create_project(drawn)
    page.goto(f"{app.url}/editor/{drawn.id}")
    expect(page.get_by_test_id("upload-audio")).to_be_attached(timeout=30_000)
    _upload(page, "Triad 月光.wav", render_wav(SHORT_PIECE, tmp_path))
    page.get_by_test_id("transcribe-choice-new").click()
    page.wait_for_url(
        lambda url: "/editor/" in url and drawn.id not in url, timeout=TRANSCRIBE_TIMEOUT_MS
    )
    expect(page.get_by_test_id("project-title")).to_have_value("Triad 月光")
    # The new project opens at once; its job fills it.
    expect(page.get_by_test_id("job-status")).to_contain_text(
        "Transcribed", timeout=TRANSCRIBE_TIMEOUT_MS
    )
    new = next(p for p in _projects(app, user_id) if p.id != drawn.id)
    assert new.source_audio_key == f"users/{user_id}/projects/{new.id}/source.wav"
    assert _onset_f1(SHORT_PIECE, new) >= 0.8
    kept = next(p for p in _projects(app, user_id) if p.id == drawn.id)
    assert (kept.notes, kept.source_audio_key) == (mine, None)
    assert not list((Path(app.env["MEDIA_DIR"]) / "tmp").rglob("*.wav"))


def test_transcriber_errors_reach_the_user(app: RunningApp, signed_in: tuple[Page, str]) -> None:
    page, user_id = signed_in
    page.goto(f"{app.url}/projects")
    expect(page.get_by_test_id("upload-audio")).to_be_attached(timeout=30_000)

    _upload(page, "notes.txt", b"hello")
    expect(page.get_by_test_id("transcription-status")).to_have_text(
        "Choose a WAV, MP3, FLAC, OGG, M4A or WebM file."
    )
    # A refused recording ends its job with the service's reason, shown in its project.
    _upload(page, "notes.wav", b"hello, not a recording")
    page.wait_for_url("**/editor/*", timeout=60_000)
    expect(page.get_by_test_id("job-status")).to_have_text(
        "The transcriber could not read that file as audio.", timeout=60_000
    )
    # The project made for it goes, and so does the recording.
    _wait_for(lambda: app.repository().list_projects(user_id) == [], "the empty project removed")
    assert _stored_files(app, user_id) == []
    # Opened again once gone (the job can end before the editor first opens it), the page
    # still says why, not just "not found".
    page.reload()
    expect(
        page.get_by_role("heading", name="No project was made from that recording")
    ).to_be_visible()
    expect(page.get_by_test_id("job-status")).to_have_text(
        "The transcriber could not read that file as audio."
    )
    page.get_by_role("link", name="Back to your projects").click()
    expect(page.get_by_test_id("upload-audio")).to_be_attached(timeout=30_000)


def test_a_running_transcription_can_be_cancelled(
    app: RunningApp, signed_in: tuple[Page, str], transcriber: RealTranscriber
) -> None:
    page, user_id = signed_in
    page.goto(f"{app.url}/projects")
    expect(page.get_by_test_id("upload-audio")).to_be_attached(timeout=30_000)
    seen = len(transcriber.transcriptions())
    # The default piano model needs far longer than this test for the slow tone on any CPU,
    # so the cancel always reaches work under way (the fast model can be done in a second).
    _upload(page, "slow.wav", tone_wav(SLOW_TONE_S))
    page.wait_for_url("**/editor/*", timeout=60_000)
    expect(page.get_by_test_id("job-status")).to_contain_text("Transcribing…", timeout=30_000)
    # The service holds the recording and is working on it.
    _wait_for(lambda: not transcriber.is_idle(), "the transcriber to be busy with it")
    page.get_by_test_id("cancel-job").click()
    expect(page.get_by_test_id("job-status")).to_have_text("Transcription cancelled.")
    cancelled_at = time.monotonic()
    # Cancelling closes the app's connection, and the service stops the work it had started
    # instead of computing an answer that goes nowhere: it is free again within seconds.
    transcriber.wait_idle(timeout_s=IDLE_AFTER_CANCEL_S)
    assert time.monotonic() - cancelled_at < IDLE_AFTER_CANCEL_S
    _wait_for(lambda: len(transcriber.transcriptions()) == seen + 1, "the request to be logged")
    assert transcriber.transcriptions()[-1]["error"] == "client_gone"
    outcomes = [e["outcome"] for e in transcriber.request_log() if e["event"] == "transcription"]
    assert outcomes[-1] == "client_gone"
    _wait_for(lambda: app.repository().list_projects(user_id) == [], "the empty project removed")
    assert _stored_files(app, user_id) == []
