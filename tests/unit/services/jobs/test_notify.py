"""Emails for long transcriptions: who gets one, when, and where its link goes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from keycraft.config import Settings
from keycraft.services.clock import utc_now
from keycraft.services.jobs.model import CANCELLED, DONE, FAILED, TranscriptionJob
from keycraft.services.jobs.notify import email_if_long, finished_email, worth_email
from keycraft.services.repository.memory import MemoryRepository
from tests.support.factories import make_user

T0 = utc_now()


def _job(
    user_id: str, status: str, waited_s: float, into_existing: bool = False
) -> TranscriptionJob:
    return TranscriptionJob(
        id="job1",
        user_id=user_id,
        project_id="proj1",
        recording_key="users/u/projects/proj1/source.wav",
        filename="Nocturne.wav",
        title="Nocturne",
        created_at=T0,
        updated_at=T0,
        into_existing=into_existing,
        status=status,
        finished_at=T0 + timedelta(seconds=waited_s),
        note_count=42,
    )


@pytest.mark.parametrize(
    ("status", "waited_s", "expected"),
    [
        (DONE, 61.0, True),
        (FAILED, 61.0, True),
        (DONE, 60.0, False),  # exactly the threshold is not "longer than"
        (DONE, 5.0, False),
        (CANCELLED, 600.0, False),  # the owner ended it themselves
    ],
)
def test_only_jobs_that_ended_after_the_threshold_are_worth_an_email(
    status: str, waited_s: float, expected: bool
) -> None:
    assert worth_email(_job("u", status, waited_s), 60.0) is expected


def test_a_live_job_is_never_worth_an_email() -> None:
    job = replace(_job("u", "running", 0), finished_at=None)
    assert not worth_email(job, 0.0)


def test_the_link_goes_to_the_project_or_to_the_list_when_the_project_went() -> None:
    subject, body = finished_email(_job("u", DONE, 90), "https://keycraft.test/")
    assert "Nocturne" in subject and "42 notes" in body
    assert "https://keycraft.test/editor/proj1" in body
    _, body = finished_email(_job("u", FAILED, 90), "https://keycraft.test")
    assert "https://keycraft.test/projects" in body and "/editor/" not in body
    _, body = finished_email(_job("u", FAILED, 90, into_existing=True), "https://keycraft.test")
    assert "https://keycraft.test/editor/proj1" in body


def test_the_owner_gets_the_email_through_the_mailer() -> None:
    settings = Settings(APP_URL="https://keycraft.test", JOB_EMAIL_AFTER_S=60)
    repo = MemoryRepository()
    user = repo.create_user(make_user("clara@example.com"))
    sent: list[tuple[str, str, str]] = []

    def send(_settings: Settings, to: str, subject: str, body: str) -> None:
        sent.append((to, subject, body))

    assert not email_if_long(settings, repo, _job(user.id, DONE, 59), send)
    assert email_if_long(settings, repo, _job(user.id, DONE, 61), send)
    assert [(to, "editor/proj1" in body) for to, _, body in sent] == [("clara@example.com", True)]

    def unreachable(*_args: object) -> None:
        raise OSError("connection refused")

    assert not email_if_long(settings, repo, _job(user.id, FAILED, 61), unreachable)
    assert not email_if_long(settings, repo, _job("nobody", DONE, 61), send)
