"""Journey: upload a recording, get a transcribed project, re-transcribe part of it.

The app talks to tests/support/contract_transcriber.py, a server speaking the transcription
service's HTTP contract (a naive pitch tracker), until the real service is on this branch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from keycraft.services.domain import Note, Project
from tests.support.app_server import RunningApp
from tests.support.contract_transcriber import ContractTranscriber, SineNote, sine_melody_wav
from tests.support.signed_in import create_user, signed_in_context

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
MELODY = (SineNote(0.0, 0.5, 60), SineNote(0.5, 0.5, 64), SineNote(1.0, 1.0, 67))
EXPECTED = (Note(0, 480, 60, 80), Note(480, 480, 64, 80), Note(960, 960, 67, 80))


@pytest.fixture
def signed_in(browser: Browser, app: RunningApp) -> Iterator[tuple[Page, str]]:
    user = create_user(app)
    context = signed_in_context(browser, app, user)
    yield context.new_page(), user.id
    context.close()


@pytest.fixture(autouse=True)
def _transcriber_idle(contract_transcriber: ContractTranscriber) -> None:
    contract_transcriber.busy = False
    contract_transcriber.delay_s = 0.0


def _wait_for(check: Callable[[], bool], what: str, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _only_project(app: RunningApp, user_id: str) -> Project:
    summaries = app.repository().list_projects(user_id)
    assert len(summaries) == 1
    project = app.repository().get_project(user_id, summaries[0].id)
    assert project is not None
    return project


def _upload(page: Page, name: str, data: bytes) -> None:
    page.get_by_test_id("upload-audio").set_input_files(
        {"name": name, "mimeType": "audio/wav", "buffer": data}
    )


def test_a_recording_becomes_a_project_and_part_of_it_can_be_retranscribed(
    app: RunningApp, signed_in: tuple[Page, str], contract_transcriber: ContractTranscriber
) -> None:
    page, user_id = signed_in
    page.goto(f"{app.url}/projects")
    page.get_by_test_id("transcribe-model").click()
    page.screenshot(path=str(SCREENSHOTS / "projects.png"), full_page=True)
    page.get_by_role("option", name="Piano – accurate").click()
    _upload(page, "Arpeggio.wav", sine_melody_wav(MELODY))
    page.wait_for_url("**/editor/*", timeout=30_000)
    expect(page.get_by_test_id("note-count")).to_have_text("3")
    expect(page.get_by_test_id("project-title")).to_have_value("Arpeggio")
    project = _only_project(app, user_id)
    assert project.notes == EXPECTED
    assert project.source_audio_key == f"users/{user_id}/projects/{project.id}/source.wav"
    assert contract_transcriber.requests[-1]["model"] == "transkun"
    audio = page.context.request.get(f"{app.url}/api/projects/{project.id}/audio")
    assert audio.status == 200 and audio.body()[:4] == b"RIFF"
    # The recording plays in sync under the notes.
    page.get_by_test_id("play").click()
    page.wait_for_function("window.__keycraft.recording === 'loaded'")
    page.wait_for_function("window.__keycraft.transportState === 'started'")
    page.get_by_test_id("audio-audible").click()  # mute the recording
    page.get_by_test_id("stop").click()
    page.screenshot(path=str(SCREENSHOTS / "editor-transcribed.png"), full_page=True)

    # A manual edit in bar 2, then a deletion in bar 1 that re-transcription will undo.
    page.wait_for_function("window.__keycraft !== undefined")
    point = page.evaluate("window.__keycraft.pointFor(1920, 72)")
    page.mouse.click(point["x"] + 2, point["y"])
    expect(page.get_by_test_id("note-count")).to_have_text("4")
    target = page.evaluate("window.__keycraft.pointFor(500, 64)")
    page.mouse.click(target["x"] + 2, target["y"])
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("note-count")).to_have_text("3")

    page.get_by_label("Re-transcribe up to bar").fill("2")
    page.get_by_test_id("retranscribe").click()
    expect(page.get_by_test_id("transcription-status")).to_contain_text("Replaced bars 1–1")
    expect(page.get_by_test_id("note-count")).to_have_text("4")
    _wait_for(
        lambda: set(_only_project(app, user_id).notes) == {*EXPECTED, Note(1920, 120, 72, 90)},
        "re-transcription saved",
    )


def test_transcriber_errors_reach_the_user(
    app: RunningApp, signed_in: tuple[Page, str], contract_transcriber: ContractTranscriber
) -> None:
    page, user_id = signed_in
    page.goto(f"{app.url}/projects")
    expect(page.get_by_test_id("upload-audio")).to_be_attached(timeout=30_000)
    contract_transcriber.busy = True
    _upload(page, "take1.wav", sine_melody_wav(MELODY))
    expect(page.get_by_test_id("transcription-status")).to_have_text(
        "The transcriber is busy. Please try again in 7 seconds."
    )
    contract_transcriber.busy = False
    _upload(page, "noise.wav", b"RIFF not really a wave file")
    expect(page.get_by_test_id("transcription-status")).to_have_text(
        "The transcriber could not read that file as audio."
    )
    page.get_by_test_id("upload-audio").set_input_files(
        {"name": "notes.txt", "mimeType": "audio/wav", "buffer": b"hello"}
    )
    expect(page.get_by_test_id("transcription-status")).to_have_text(
        "Choose a WAV, MP3, FLAC, OGG or M4A file."
    )
    assert app.repository().list_projects(user_id) == []


def test_a_slow_transcription_shows_progress_and_can_be_cancelled(
    app: RunningApp, signed_in: tuple[Page, str], contract_transcriber: ContractTranscriber
) -> None:
    page, user_id = signed_in
    page.goto(f"{app.url}/projects")
    expect(page.get_by_test_id("upload-audio")).to_be_attached(timeout=30_000)
    contract_transcriber.delay_s = 5.0
    _upload(page, "slow.wav", sine_melody_wav(MELODY))
    expect(page.get_by_test_id("transcription-status")).to_have_text(
        "Transcribing… this can take a minute."
    )
    page.get_by_test_id("cancel-transcription").click()
    expect(page.get_by_test_id("transcription-status")).to_have_text("Transcription cancelled.")
    time.sleep(0.5)
    assert app.repository().list_projects(user_id) == []
    assert "/projects" in page.url
