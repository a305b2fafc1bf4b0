"""A learner's first hour, by clicks alone: from the home page to an exported MIDI file.

The journey starts at `/` and moves only by what the page shows: sign up from the hero,
create a project, upload a recording of a sampled grand piano in a room, let the default
(accurate) model transcribe it into that project, edit, play, and export under a title that
is not ASCII. Every step waits for what the page or the store shows, never for time.
"""

from __future__ import annotations

import io
import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import mido
import pretty_midi
from playwright.sync_api import Page, expect

from keycraft.services.domain import Note, Project
from tests.e2e.conftest import ConsoleLog
from tests.support.app_server import RunningApp
from tests.support.recordings import as_events
from tests.support.transcriber_server import RealTranscriber
from transcriber.evaluation.pieces import Piece
from transcriber.evaluation.recital import trills_and_grace_notes
from transcriber.evaluation.room import recital_room, record_piece
from transcriber.evaluation.scoring import score_notes

TITLE = "Nocturne – Op.9 月光"
PASSWORD = "quiet Barcarolle 61"
TEMPO_BPM = 120.0
CLIP_S = 7.5
TRANSCRIBE_TIMEOUT_MS = 480_000
"""The piano model on a shared two-core machine; about a minute when it is quiet."""
ONSET_F1 = 0.9


def _clip(tmp_path: Path) -> tuple[Piece, Path]:
    full = trills_and_grace_notes()
    piece = Piece(full.name, tuple(n for n in full.notes if n.end_s <= CLIP_S))
    return piece, record_piece(piece.notes, recital_room(2), tmp_path / "Nocturne take 1.wav")


def _only_project(app: RunningApp, user_id: str) -> Project:
    (summary,) = app.repository().list_projects(user_id)
    project = app.repository().get_project(user_id, summary.id)
    assert project is not None
    return project


def _wait_for_notes(
    app: RunningApp,
    user_id: str,
    check: Callable[[tuple[Note, ...]], bool],
    what: str,
    timeout_s: float = 15.0,
) -> tuple[Note, ...]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        notes = _only_project(app, user_id).notes
        if check(notes):
            return notes
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_first_hour_from_home_to_an_exported_transcription(
    app: RunningApp,
    page: Page,
    console: ConsoleLog,
    transcriber: RealTranscriber,
    tmp_path: Path,
) -> None:
    piece, wav = _clip(tmp_path)
    email = f"first-hour-{uuid.uuid4().hex[:10]}@example.com"

    page.goto(app.url)
    page.get_by_test_id("hero-cta").click()
    page.get_by_label("Name").fill("Frédéric")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_test_id("sign-up-submit").click()
    page.wait_for_url(re.compile(r"/projects/?$"))
    user = app.repository().get_user_by_email(email)
    assert user is not None

    page.get_by_test_id("new-project-title").fill(TITLE)
    page.get_by_role("button", name="New project").click()
    page.wait_for_url("**/editor/*", timeout=30_000)
    expect(page.get_by_test_id("piano-roll")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("project-title")).to_have_value(TITLE)
    meter = page.get_by_test_id("quota-meter")
    expect(meter).to_have_text("3 of 3 left")

    # The accurate piano model is what a learner gets without touching anything.
    expect(page.get_by_test_id("transcribe-model")).to_contain_text("Piano – accurate")
    transcriber.wait_ready()
    page.get_by_test_id("upload-audio").set_input_files(str(wav))
    transcribed = _wait_for_notes(
        app, user.id, lambda notes: len(notes) > 0, "the notes", TRANSCRIBE_TIMEOUT_MS / 1000
    )
    (project,) = app.repository().list_projects(user.id)  # this project, not a new one
    assert project.title == TITLE
    assert transcriber.transcriptions()[-1]["model"] == "transkun"
    expect(page.get_by_test_id("note-count")).to_have_text(str(len(transcribed)), timeout=30_000)
    filled = app.repository().get_project(user.id, project.id)
    assert filled is not None  # heard under its tempo map: it follows the beats played
    assert score_notes(piece.notes, as_events(transcribed, filled.tempo_map)).onset_f1 >= ONSET_F1

    # Edit: everything up a semitone, from the keyboard in the roll.
    page.wait_for_function("window.__keycraft !== undefined")
    page.get_by_test_id("piano-roll").focus()
    page.keyboard.press("Control+a")
    page.wait_for_function(f"window.__keycraft.selectedCount === {len(transcribed)}")
    page.keyboard.press("Alt+ArrowUp")
    raised = sorted(n.pitch_midi + 1 for n in transcribed)
    edited = _wait_for_notes(
        app, user.id, lambda notes: sorted(n.pitch_midi for n in notes) == raised, "the edit"
    )
    expect(page.get_by_test_id("save-status")).to_have_text("Saved")

    # Play and stop.
    page.get_by_test_id("play").click()
    page.wait_for_function("window.__keycraft.transportState === 'started'")
    page.wait_for_function("window.__keycraft.playheadTick > 240")
    page.get_by_test_id("stop").click()
    page.wait_for_function("window.__keycraft.transportState === 'stopped'")

    # Export: the file carries the title and the edited notes; exactly one download counted.
    with page.expect_download() as download_info:
        page.get_by_test_id("export-midi").click()
    download = download_info.value
    assert download.suggested_filename == f"{TITLE}.mid"
    expect(meter).to_have_text("2 of 3 left")
    assert app.repository().get_quota(user.id).used == 1
    data = download.path().read_bytes()
    song = mido.MidiFile(file=io.BytesIO(data), charset="utf-8")
    assert song.tracks[0].name == TITLE
    exported = sorted(
        n.pitch for i in pretty_midi.PrettyMIDI(io.BytesIO(data)).instruments for n in i.notes
    )
    assert exported == sorted(n.pitch_midi for n in edited)
    assert console.errors == []
