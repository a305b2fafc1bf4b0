"""Journey: a free user with nearly no transcription minutes left is offered the plans."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Browser, expect

from keycraft.services.clock import utc_now
from keycraft.services.domain import User
from keycraft.services.jobs.minutes import window_end
from keycraft.services.jobs.model import DONE, TranscriptionJob
from keycraft.services.repository.port import Repository
from tests.e2e.conftest import ConsoleLog
from tests.e2e.test_transcription import _projects, _stored_files, _upload
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.recordings import tone_wav
from tests.support.signed_in import create_user, signed_in_context

FREE_MINUTES = 30
"""The Free plan's allowance in the test app's plans (the setting's default)."""
SPENT_S = FREE_MINUTES * 60 - 30


def _transcribed_earlier(repo: Repository, user: User, seconds: int) -> None:
    """A finished job of this month that used ``seconds`` of the user's minutes."""
    now, user_id = utc_now(), user.id
    project = repo.create_project(make_project(user, title="Earlier piece"))
    job = TranscriptionJob(
        id=uuid.uuid4().hex,
        user_id=user_id,
        project_id=project.id,
        recording_key=f"users/{user_id}/projects/{project.id}/source.wav",
        filename="earlier.wav",
        title="Earlier piece",
        created_at=now,
        updated_at=now,
        into_existing=True,
        reserved_s=seconds,
        minutes_window_end=window_end(repo, user_id, now),
    )
    assert repo.create_transcription_job(job, 3, FREE_MINUTES * 60)
    # Claimed by a name no worker uses, and ended at once: the worker never sees it.
    assert repo.claim_transcription_job(user_id, job.id, "earlier", now, now + timedelta(minutes=1))
    assert repo.finish_transcription_job(user_id, job.id, "earlier", DONE, now, note_count=12)


def _staged(app: RunningApp) -> set[Path]:
    return {p for p in (Path(app.env["MEDIA_DIR"]) / "tmp").rglob("*") if p.is_file()}


def test_a_recording_past_the_minutes_left_opens_the_upgrade_dialog(
    app: RunningApp, browser: Browser, console: ConsoleLog
) -> None:
    user = create_user(app)
    _transcribed_earlier(app.repository(), user, SPENT_S)
    context = signed_in_context(browser, app, user)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    try:
        page.goto(f"{app.url}/")
        page.get_by_test_id("nav-projects").click()
        meter = page.get_by_test_id("minutes-meter")
        expect(meter).to_have_text(
            "Transcription: 29.5 of 30 minutes used this month", timeout=30_000
        )

        # 40 s of audio do not fit in the 30 s left: the plans are offered instead.
        staged_before = _staged(app)
        _upload(page, "Nocturne.wav", tone_wav(40.0))
        dialog = page.get_by_test_id("minutes-dialog")
        expect(dialog).to_be_visible(timeout=30_000)
        expect(dialog).to_contain_text("This recording needs 0.7 min")
        expect(dialog).to_contain_text("30 minutes of transcription a month and 0.5 are left")
        expect(page.get_by_test_id("transcription-status")).to_have_text(
            "Not transcribed: this recording is longer than your minutes left."
        )
        # No job, no new project, nothing stored: the transcriber never heard of it.
        assert [j.title for j in app.repository().list_user_transcription_jobs(user.id)] == [
            "Earlier piece"
        ]
        assert [p.title for p in _projects(app, user.id)] == ["Earlier piece"]
        assert _staged(app) == staged_before
        assert _stored_files(app, user.id) == []
        expect(meter).to_have_text("Transcription: 29.5 of 30 minutes used this month")

        dialog.get_by_test_id("upgrade-link").click()
        page.wait_for_url("**/pricing")
        free = page.get_by_test_id("plan-free")
        expect(free.get_by_text("30 minutes of transcription a month")).to_be_visible()
        assert console.errors == []
    finally:
        context.close()
