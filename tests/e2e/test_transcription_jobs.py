"""Journeys: jobs wait their turn for one transcriber, and outlive the tab, session and worker."""

from __future__ import annotations

import os
import re
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from keycraft.services.domain import Project
from tests.e2e.conftest import ConsoleLog
from tests.e2e.test_transcription import (
    SHORT_PIECE,
    TRANSCRIBE_TIMEOUT_MS,
    _choose_model,
    _onset_f1,
    _projects,
    _upload,
    _wait_for,
)
from tests.support.app_server import RunningApp, start_app
from tests.support.recordings import melody, render_wav
from tests.support.signed_in import create_user, signed_in_context
from tests.support.transcriber_server import RealTranscriber

PASSWORD = "steady Arpeggio 72"
RECOVERY_TIMEOUT_MS = 2 * 60_000 + TRANSCRIBE_TIMEOUT_MS
"""A killed worker's job is taken again once its lease (60 s) has passed, at the next
minute's recovery sweep; then it runs from the start."""


@pytest.fixture
def browser_contexts(
    browser: Browser, transcriber: RealTranscriber
) -> Iterator[list[BrowserContext]]:
    """Contexts the test opens; closed after it, once the transcriber is idle again."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()
    transcriber.wait_idle()


def _watch_errors(page: Page, console: ConsoleLog) -> Page:
    page.on("console", console.on_console)
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            console.errors.append(f"HTTP {response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    return page


def _open_projects(page: Page, app: RunningApp) -> None:
    page.goto(f"{app.url}/")
    page.get_by_test_id("nav-projects").click()
    expect(page.get_by_test_id("upload-audio")).to_be_attached(timeout=30_000)


def _one_set_of_notes(project: Project) -> None:
    """The notes of one transcription: no note written twice by a replayed job."""
    keys = [(n.start_tick, n.pitch_midi) for n in project.notes]
    assert project.notes and len(keys) == len(set(keys))
    assert _onset_f1(SHORT_PIECE, project) >= 0.8


def test_two_users_take_turns_on_one_transcriber(
    app: RunningApp,
    browser: Browser,
    browser_contexts: list[BrowserContext],
    console: ConsoleLog,
    tmp_path: Path,
) -> None:
    users = [create_user(app), create_user(app)]
    pages = []
    for user in users:
        context = signed_in_context(browser, app, user)
        browser_contexts.append(context)
        pages.append(_watch_errors(context.new_page(), console))
    first, second = pages
    for page in pages:
        _open_projects(page, app)
    _choose_model(second, "Fast")
    wav = render_wav(SHORT_PIECE, tmp_path)

    # The accurate model holds the one worker for a minute or more; the second job waits.
    _upload(first, "First.wav", wav)
    _upload(second, "Second.wav", wav)
    first.wait_for_url("**/editor/*", timeout=60_000)
    second.wait_for_url("**/editor/*", timeout=60_000)
    expect(first.get_by_test_id("job-status")).to_contain_text("Transcribing…", timeout=60_000)
    expect(second.get_by_test_id("job-status")).to_contain_text(
        "Queued — position 1 ·", timeout=30_000
    )
    # Then its turn comes, and its notes arrive in its editor.
    for page in (second, first):
        expect(page.get_by_test_id("job-status")).to_contain_text(
            "Transcribed", timeout=TRANSCRIBE_TIMEOUT_MS
        )
    for page, user in zip(pages, users, strict=True):
        (project,) = _projects(app, user.id)
        _one_set_of_notes(project)
        expect(page.get_by_test_id("note-count")).to_have_text(str(len(project.notes)))
    assert console.errors == []


SEGMENTED_PIECE = melody([60 + (k * 7) % 19 for k in range(30)], first_onset_s=0.3, step_s=0.5)
"""15 s of melody: the accurate model reads it in four overlapping 16 s segments, and the
notes of the first 8 s are settled after the second."""
PREVIEW_SHOWN = """() => {
  const preview = document.querySelector('[data-testid="preview-note-count"]');
  const status = document.querySelector('[data-testid="job-status"]');
  return Boolean(preview && window.__keycraft && window.__keycraft.noteCount > 0
    && status && !status.textContent.includes("Transcribed"));
}"""
"""Notes in the roll while the job still runs, read in one moment of the page."""


def test_percent_and_notes_arrive_while_the_accurate_model_works(
    app: RunningApp,
    browser: Browser,
    browser_contexts: list[BrowserContext],
    console: ConsoleLog,
    tmp_path: Path,
) -> None:
    user = create_user(app)
    context = signed_in_context(browser, app, user)
    browser_contexts.append(context)
    page = _watch_errors(context.new_page(), console)
    _open_projects(page, app)
    expect(page.get_by_test_id("transcribe-model")).to_have_text("Piano – accurate")

    _upload(page, "Etude.wav", render_wav(SEGMENTED_PIECE, tmp_path))
    page.wait_for_url("**/editor/*", timeout=60_000)
    status = page.get_by_test_id("job-status")
    # A part done: the percent is above 0, with the time taken and an estimate of what is left.
    expect(status).to_contain_text(
        re.compile(r"Transcribing… [1-9]\d?% · \d+:\d\d · about \d+ min left"),
        timeout=TRANSCRIBE_TIMEOUT_MS,
    )
    # The project list shows the job's percent on its card; opening it shows the live state.
    page.get_by_test_id("back-to-projects").click()
    card = page.get_by_test_id("card-job-status")
    expect(card).to_contain_text(re.compile(r"Transcribing… [1-9]\d?%"), timeout=30_000)
    expect(page.get_by_test_id("card-job-progress")).to_be_visible()
    page.get_by_test_id("project-link").click()
    expect(status).to_contain_text(re.compile(r"Transcribing… [1-9]\d?%"), timeout=30_000)
    # Settled notes show in the roll, read-only, before the job is done.
    page.wait_for_function(PREVIEW_SHOWN, timeout=TRANSCRIBE_TIMEOUT_MS)
    expect(page.get_by_test_id("piano-roll")).to_have_attribute(
        "aria-label", re.compile("read-only")
    )

    expect(status).to_contain_text("Transcribed", timeout=TRANSCRIBE_TIMEOUT_MS)
    (project,) = _projects(app, user.id)
    keys = [(n.start_tick, n.pitch_midi) for n in project.notes]
    assert len(keys) == len(set(keys)) and _onset_f1(SEGMENTED_PIECE, project) >= 0.8
    expect(page.get_by_test_id("note-count")).to_have_text(str(len(project.notes)))
    expect(page.get_by_test_id("preview-note-count")).to_have_count(0)
    expect(page.get_by_test_id("piano-roll")).not_to_have_attribute(
        "aria-label", re.compile("read-only")
    )
    _wait_for(
        lambda: page.evaluate("window.__keycraft.noteCount") == len(project.notes),
        "the project's own notes in the roll",
    )
    assert console.errors == []


def _kill_worker(app: RunningApp) -> None:
    """End the queue worker at once, as a crash would (no chance to hand its job back)."""
    assert app.worker is not None
    os.killpg(app.worker.process.pid, signal.SIGKILL)
    app.worker.process.wait(10)
    app.worker.stop()


def _sign_in(page: Page, email: str) -> None:
    page.get_by_test_id("nav-sign-in").click()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_test_id("sign-in-submit").click()
    page.wait_for_url(re.compile(re.escape(f"{app_url(page)}/projects") + "/?$"))


def app_url(page: Page) -> str:
    """The origin of the page's current address."""
    match = re.match(r"https?://[^/]+", page.url)
    assert match is not None
    return match.group(0)


def test_a_job_outlives_its_tab_the_session_and_its_worker(
    app: RunningApp,
    browser: Browser,
    browser_contexts: list[BrowserContext],
    console: ConsoleLog,
    transcriber: RealTranscriber,
    tmp_path: Path,
) -> None:
    context = browser.new_context()
    browser_contexts.append(context)
    page = _watch_errors(context.new_page(), console)
    email = f"jobs-{uuid.uuid4().hex[:10]}@example.com"
    page.goto(f"{app.url}/")
    page.get_by_test_id("nav-sign-up").click()
    page.get_by_label("Name").fill("Ilse")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_test_id("sign-up-submit").click()
    page.wait_for_url(re.compile(re.escape(f"{app.url}/projects") + "/?$"))
    user = app.repository().get_user_by_email(email)
    assert user is not None
    expect(page.get_by_test_id("upload-audio")).to_be_attached(timeout=30_000)
    expect(page.get_by_test_id("transcribe-model")).to_have_text("Piano – accurate")

    seen = len(transcriber.transcriptions())
    _upload(page, "Held.wav", render_wav(SHORT_PIECE, tmp_path))
    page.wait_for_url("**/editor/*", timeout=60_000)
    expect(page.get_by_test_id("job-status")).to_contain_text("Transcribing…", timeout=60_000)
    # The worker dies mid-job: the job stays running under its lease, nobody works on it.
    try:
        _kill_worker(app)

        # Away, back, reloaded, signed out and in again: the card still shows the job.
        page.get_by_test_id("nav-account").click()
        expect(page.get_by_test_id("account-email")).to_have_text(email)
        page.reload()
        expect(page.get_by_test_id("account-email")).to_have_text(email)
        page.get_by_test_id("nav-sign-out").click()
        page.wait_for_url(f"{app.url}/")
        _sign_in(page, email)
        card = page.get_by_test_id("card-job-status")
        expect(card).to_contain_text("Transcribing…", timeout=30_000)
    finally:
        app.start_worker()

    # A new worker takes the job over once its lease has passed, and the project fills.
    expect(card).to_contain_text("Transcribed", timeout=RECOVERY_TIMEOUT_MS)
    (project,) = _projects(app, user.id)
    _one_set_of_notes(project)
    (job,) = app.repository().list_user_transcription_jobs(user.id)
    assert (job.status, job.note_count, job.attempts) == ("done", len(project.notes), 2)
    page.get_by_test_id("project-link").click()
    expect(page.get_by_test_id("note-count")).to_have_text(str(len(project.notes)))
    # The killed attempt's request was dropped by the service; the second one made the notes.
    attempts = transcriber.transcriptions()[seen:]
    assert [a.get("error") for a in attempts] == ["client_gone", None]
    assert console.errors == []


@pytest.fixture
def own_app(
    tmp_path_factory: pytest.TempPathFactory, app_env: dict[str, str]
) -> Iterator[RunningApp]:
    """An app of this test's own (store, queue, web build), free to be killed."""
    data_dir = tmp_path_factory.mktemp("own-app")
    # A 20 s lease (renewed every 7 s) rather than 60 s: the killed worker's job is free sooner.
    env = {**app_env, "REFLEX_WEB_WORKDIR": str(data_dir / "web"), "JOB_LEASE_S": "20"}
    running = start_app(data_dir, env)
    try:
        yield running
    finally:
        running.stop()


def test_killing_the_app_mid_job_loses_nothing(
    own_app: RunningApp,
    browser: Browser,
    browser_contexts: list[BrowserContext],
    tmp_path: Path,
) -> None:
    user = create_user(own_app)
    context = signed_in_context(browser, own_app, user)
    browser_contexts.append(context)
    # Console errors are expected here: the page loses its server.
    page = context.new_page()
    _open_projects(page, own_app)
    _upload(page, "Crash.wav", render_wav(SHORT_PIECE, tmp_path))
    page.wait_for_url("**/editor/*", timeout=60_000)
    expect(page.get_by_test_id("job-status")).to_contain_text("Transcribing…", timeout=60_000)

    own_app.kill_server()
    own_app.restart_server()
    repo = own_app.repository()
    _wait_for(
        lambda: [j.status for j in repo.list_user_transcription_jobs(user.id)] == ["done"],
        "the job to finish",
        timeout_s=TRANSCRIBE_TIMEOUT_MS / 1000,
    )
    (project,) = _projects(own_app, user.id)
    _one_set_of_notes(project)
    (job,) = repo.list_user_transcription_jobs(user.id)
    assert (job.note_count, job.attempts) == (len(project.notes), 1)  # the worker never stopped
    page.reload()
    expect(page.get_by_test_id("note-count")).to_have_text(str(len(project.notes)), timeout=30_000)
