"""Journey: record a piano piece with the microphone, get it transcribed; and the refusals.

The microphone is Chromium's fake capture device fed with a FluidSynth rendering of a
melody (``--use-file-for-fake-audio-capture``), so the real MediaRecorder, the real upload
path and the real transcriber (both models) are exercised.

Aligning the take with the score: the fake device plays its file in a loop, starting when
the page opens the microphone, and the recording starts a moment later, so the take does
not begin at the file's start. The file is therefore one period of ``PERIOD_S`` seconds (a
melody between silences) and the take lasts more than two periods, so it holds at least one
whole period. The score is compared with the notes of one period of the take, found by the
best constant offset: every pairing of a transcribed note with a score note of the same
pitch proposes an offset, the window ``[offset, offset + PERIOD_S)`` must lie inside the
take, and the best onset F1 (mir_eval, 50 ms) over those windows is the figure asserted.
Choosing the best offset removes an unknown start time, nothing more: one offset for all
notes, no per-note matching beyond mir_eval's own.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect

from keycraft.services.domain import Note, Project
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.recordings import as_events, melody, render_wav
from tests.support.signed_in import create_user, signed_in_context
from tests.support.transcriber_server import MAX_DURATION_S, RealTranscriber
from transcriber.domain import NoteEvent
from transcriber.evaluation.pieces import Piece
from transcriber.evaluation.scoring import score_notes

TEMPO_BPM = 120.0  # a transcribed project's tempo: ticks back to seconds
PIECE = melody([60, 64, 67, 72, 69, 65, 62, 67, 71, 74], first_onset_s=0.5, step_s=0.4)
PERIOD_S = 6.0
"""The fake microphone's file: the melody (0.5–4.42 s), then silence up to 6 s."""
RECORD_S = 2 * PERIOD_S + 1
"""Recorded seconds: any stretch this long holds a whole period, with a second to spare."""
TRANSCRIBE_TIMEOUT_MS = 480_000
"""The accurate model on a 13 s take: about a minute on two idle cores, more when busy."""
MIN_ONSET_F1 = 0.9
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
LEVELS_MOVE = """
() => {
  const meter = document.querySelector('[data-testid="input-level"]');
  if (!meter) return false;
  window.__levels = window.__levels || new Set();
  window.__levels.add(meter.getAttribute('aria-valuenow'));
  return window.__levels.size >= 4 && [...window.__levels].some((v) => Number(v) >= 30);
}
"""
ELAPSED_AT_LEAST = """
(seconds) => {
  const timer = document.querySelector('[data-testid="recording-elapsed"]');
  if (!timer) return false;
  const [minutes, secs] = timer.textContent.split(' / ')[0].split(':').map(Number);
  return minutes * 60 + secs >= seconds;
}
"""


def _period_wav(piece: Piece, folder: Path) -> Path:
    """The piece rendered on the GM piano, padded to ``PERIOD_S``, as 16-bit mono WAV."""
    samples, rate_hz = soundfile.read(io.BytesIO(render_wav(piece, folder)), dtype="float32")
    mono = samples.mean(axis=1) if samples.ndim == 2 else samples
    period = np.zeros(int(PERIOD_S * rate_hz), dtype=np.float32)
    take = min(len(mono), len(period))
    period[:take] = mono[:take]
    path = folder / "microphone.wav"
    soundfile.write(path, period, rate_hz, subtype="PCM_16")
    return path


@pytest.fixture(scope="module")
def microphone_browser(
    playwright: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Browser]:
    """Chromium whose microphone plays the rendered melody in a loop, permission granted."""
    wav = _period_wav(PIECE, tmp_path_factory.mktemp("microphone"))
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def refusing_browser(playwright: Playwright) -> Iterator[Browser]:
    """Chromium with a microphone whose permission prompt is refused (no fake accept)."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream"]
    )
    yield browser
    browser.close()


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def _signed_in(browser: Browser, app: RunningApp) -> tuple[BrowserContext, Page, str]:
    user = create_user(app)
    context = signed_in_context(browser, app, user)
    return context, context.new_page(), user.id


def _projects(app: RunningApp, user_id: str) -> list[Project]:
    found = []
    for summary in app.repository().list_projects(user_id):
        project = app.repository().get_project(user_id, summary.id)
        assert project is not None
        found.append(project)
    return found


def _stored_notes(
    app: RunningApp, user_id: str, project_id: str, timeout_s: float = 15.0
) -> list[tuple[int, int, int]]:
    """The saved project's notes as (start_tick, pitch, velocity), once some are saved."""
    deadline = time.monotonic() + timeout_s
    while True:
        stored = app.repository().get_project(user_id, project_id)
        assert stored is not None
        if stored.notes or time.monotonic() > deadline:
            return sorted((n.start_tick, n.pitch_midi, n.velocity) for n in stored.notes)
        time.sleep(0.05)


def best_period_onset_f1(
    piece: Piece, transcribed: list[NoteEvent], take_s: float, period_s: float
) -> tuple[float, float]:
    """Onset F1 of one whole period of the take against ``piece``, at the best offset.

    Returns:
        The F1 and the offset (seconds into the take) of the period it was measured on.
    """
    best = (0.0, float("nan"))
    offsets = {
        round(t.start_s - s.start_s, 3)
        for t in transcribed
        for s in piece.notes
        if t.pitch_midi == s.pitch_midi
    }
    for offset in sorted(offsets):
        if offset < 0 or offset + period_s > take_s:
            continue  # the period must lie inside the take
        in_window = [n for n in transcribed if offset <= n.start_s < offset + period_s]
        shifted = [
            NoteEvent(n.start_s - offset, n.end_s - offset, n.pitch_midi, n.velocity)
            for n in in_window
        ]
        f1 = score_notes(piece.notes, shifted).onset_f1
        if f1 > best[0]:
            best = (f1, offset)
    return best


def test_best_period_scoring_finds_a_shifted_period_and_refuses_a_cut_one() -> None:
    # The melody twice, 6 s apart, starting 2.3 s into a 13 s take: the first copy counts.
    events = [
        NoteEvent(n.start_s + shift, n.end_s + shift, n.pitch_midi, 90)
        for shift in (2.3, 8.3)
        for n in PIECE.notes
    ]
    f1, offset = best_period_onset_f1(PIECE, events, 13.0, PERIOD_S)
    assert f1 == 1.0 and offset == pytest.approx(2.3)
    # A take that holds no whole period scores nothing, however well its notes match.
    assert best_period_onset_f1(PIECE, events[:5], 5.0, PERIOD_S)[0] == 0.0
    # Half the notes missing in every copy: recall 0.5, so F1 2/3 at best.
    halved = [e for i, e in enumerate(events) if i % 2 == 0]
    assert best_period_onset_f1(PIECE, halved, 13.0, PERIOD_S)[0] == pytest.approx(2 / 3)


def test_a_microphone_take_is_transcribed_with_the_accurate_model(
    app: RunningApp, microphone_browser: Browser, transcriber: RealTranscriber
) -> None:
    context, page, user_id = _signed_in(microphone_browser, app)
    try:
        page.goto(f"{app.url}/projects")
        record = page.get_by_role("button", name="Record", exact=True)
        expect(record).to_be_visible(timeout=30_000)
        # The test transcriber's limit, which the app is configured with.
        expect(page.get_by_text(f"Up to {_clock(MAX_DURATION_S)}")).to_be_visible()
        record.focus()
        page.keyboard.press("Enter")  # the recorder is driven by the keyboard too

        expect(page.get_by_role("meter", name="Input level")).to_be_visible()
        page.wait_for_function(LEVELS_MOVE, timeout=20_000)
        page.wait_for_function(ELAPSED_AT_LEAST, arg=RECORD_S, timeout=60_000)
        expect(page.get_by_role("timer", name="Recording time")).to_contain_text(
            f"/ {_clock(MAX_DURATION_S)}"
        )
        page.get_by_role("button", name="Stop").click()
        expect(page.get_by_test_id("recording-preview")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / "recorded-take.png"), full_page=True)

        page.get_by_test_id("transcribe-model").click()
        page.get_by_role("option", name="Piano – accurate").click()
        page.get_by_role("button", name="Transcribe this recording").click()
        page.wait_for_url("**/editor/*", timeout=60_000)
        # The take's project opens at once; its transcription job fills it.
        expect(page.get_by_test_id("job-status")).to_contain_text(
            "Transcribed", timeout=TRANSCRIBE_TIMEOUT_MS
        )

        (project,) = _projects(app, user_id)
        assert project.title.startswith("Recording ")
        assert (project.source_audio_key or "").endswith("/source.webm")
        job = transcriber.transcriptions()[-1]
        assert job["model"] == "transkun"
        take_s = float(job["audio_s"])
        assert RECORD_S - 0.5 <= take_s <= RECORD_S + 2.0
        notes: list[Note] = list(project.notes)
        heard = as_events(notes, project.tempo_map)  # the tempo follows the beats heard
        f1, offset = best_period_onset_f1(PIECE, heard, take_s, PERIOD_S)
        print(f"microphone take: {take_s:.2f} s, period at {offset:.3f} s, onset F1 {f1:.3f}")
        assert f1 >= MIN_ONSET_F1
    finally:
        context.close()
        transcriber.wait_idle()


def test_a_recording_stops_at_the_transcribers_limit_and_is_still_accepted(
    app: RunningApp, microphone_browser: Browser, transcriber: RealTranscriber
) -> None:
    context, page, user_id = _signed_in(microphone_browser, app)
    try:
        page.goto(f"{app.url}/projects")
        page.get_by_role("button", name="Record", exact=True).click(timeout=30_000)
        expect(page.get_by_test_id("recorder-message")).to_have_text(
            f"Recording stopped at {_clock(MAX_DURATION_S)}, "
            "the longest recording the transcriber accepts.",
            timeout=(MAX_DURATION_S + 30) * 1000,
        )
        expect(page.get_by_role("button", name="Stop")).to_have_count(0)
        page.get_by_role("button", name="Transcribe this recording").click()  # the Fast model
        page.wait_for_url("**/editor/*", timeout=60_000)
        expect(page.get_by_test_id("job-status")).to_contain_text(
            "Transcribed", timeout=TRANSCRIBE_TIMEOUT_MS
        )
        job = transcriber.transcriptions()[-1]
        # Just under the limit: the transcriber took the whole take.
        assert MAX_DURATION_S - 1.5 <= float(job["audio_s"]) <= MAX_DURATION_S
        assert len(_projects(app, user_id)) == 1
    finally:
        context.close()
        transcriber.wait_idle()


def test_refused_permission_and_a_missing_microphone_are_explained(
    app: RunningApp, refusing_browser: Browser, browser: Browser
) -> None:
    for source, expected in (
        (refusing_browser, "Microphone access was refused."),
        (browser, "No microphone was found."),  # the plain browser has no capture device
    ):
        context, page, user_id = _signed_in(source, app)
        try:
            page.goto(f"{app.url}/projects")
            page.get_by_role("button", name="Record", exact=True).click(timeout=30_000)
            expect(page.get_by_test_id("recorder-message")).to_contain_text(expected)
            expect(page.get_by_role("button", name="Record", exact=True)).to_be_enabled()
            assert app.repository().list_projects(user_id) == []
        finally:
            context.close()


def test_midi_recording_says_plainly_when_no_keyboard_can_be_used(
    app: RunningApp, browser: Browser
) -> None:
    context, page, user_id = _signed_in(browser, app)
    try:
        user = app.repository().get_user(user_id)
        assert user is not None
        project = make_project(user, title="Take", notes=0)
        app.repository().create_project(project)
        page.goto(f"{app.url}/editor/{project.id}")
        page.get_by_role("button", name="Record MIDI").click(timeout=30_000)
        # Headless Chromium offers Web MIDI but grants it no access (no device either).
        expect(page.get_by_test_id("midi-recorder-message")).to_have_text(
            "MIDI access was refused. Allow MIDI devices for this site in the browser's settings."
        )
        expect(page.get_by_role("button", name="Record MIDI")).to_be_enabled()
    finally:
        context.close()


SEEN_CLICKS = """(wanted) => {
  // clickTicks() hands over what was logged since the last call: keep it across polls.
  window.__seenClicks = (window.__seenClicks || []).concat(window.__keycraft.clickTicks());
  return wanted.every((tick) => window.__seenClicks.includes(tick));
}"""
START_TAKE = """
async () => {
  const clock = await window.keycraftPianoRoll.startTake();
  window.__take = clock;
  return {
    fromTick: clock.fromTick,
    countInBeats: clock.countInBeats,
    beatMs: clock.beatMs,
    startsInMs: clock.startMs - performance.now(),
    tickAfterOneSecond: clock.tickAtMs(1000),
  };
}
"""


def test_a_midi_take_starts_after_a_count_in_and_is_one_undo_step(
    app: RunningApp, browser: Browser
) -> None:
    """The roll's half of MIDI recording, driven through the API the MIDI recorder calls.

    No MIDI keyboard can be attached to headless Chromium: the message → note rules are
    tested under bun (tests/unit/components/test_bun_suites.py); here the real roll counts
    in, plays with the metronome, and commits a take's notes through its normal commit.
    """
    context, page, user_id = _signed_in(browser, app)
    try:
        user = app.repository().get_user(user_id)
        assert user is not None
        project = make_project(user, title="Take", notes=0)
        app.repository().create_project(project)
        page.goto(f"{app.url}/editor/{project.id}")
        page.wait_for_function("window.keycraftPianoRoll && window.__keycraft", timeout=30_000)
        expect(page.get_by_test_id("metronome")).not_to_be_checked()

        clock = page.evaluate(START_TAKE)
        # One bar of 4/4 at 120 BPM counts in: four 500 ms beats, then the playhead's tick 0.
        assert clock["fromTick"] == 0 and clock["countInBeats"] == 4
        assert clock["beatMs"] == pytest.approx(500)
        assert 1900 < clock["startsInMs"] < 2600
        assert clock["tickAfterOneSecond"] == pytest.approx(960)
        page.wait_for_function("window.__keycraft.transportState === 'started'")
        # The metronome clicks through the take though its switch is off.
        # The playhead is read from the clock; a click is logged when its callback runs, which
        # on a loaded machine can come a little later: wait for the logged clicks themselves.
        page.wait_for_function(SEEN_CLICKS, arg=[0, 480, 960])

        rows = [
            {"start_tick": 0, "duration_ticks": 240, "pitch_midi": 60, "velocity": 90},
            {"start_tick": 480, "duration_ticks": 240, "pitch_midi": 64, "velocity": 70},
            {"start_tick": 960, "duration_ticks": 480, "pitch_midi": 67, "velocity": 50},
        ]
        assert page.evaluate("(rows) => window.keycraftPianoRoll.endTake(rows)", rows) == 3
        expect(page.get_by_test_id("note-count")).to_have_text("3")
        assert page.evaluate("window.__keycraft.transportState") != "started"
        assert _stored_notes(app, user_id, project.id) == [
            (0, 60, 90),
            (480, 64, 70),
            (960, 67, 50),
        ]
        page.get_by_test_id("undo").click()  # the whole take goes in one step
        expect(page.get_by_test_id("note-count")).to_have_text("0")
    finally:
        context.close()
