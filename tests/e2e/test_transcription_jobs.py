"""Journeys: jobs wait their turn for one transcriber."""

from __future__ import annotations

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
)
from tests.support.app_server import RunningApp
from tests.support.recordings import render_wav
from tests.support.signed_in import create_user, signed_in_context
from tests.support.transcriber_server import RealTranscriber


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
    assert _onset_f1(SHORT_PIECE, project.notes) >= 0.8


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
        "Queued, position 1 ·", timeout=30_000
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
