"""Contract: a job reserves its recording's seconds atomically; failing or cancelling refunds."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from keycraft.services.clock import utc_now
from keycraft.services.jobs.errors import MinutesSpent
from keycraft.services.jobs.model import DONE, FAILED, TranscriptionJob
from keycraft.services.repository.port import Repository
from tests.contract.test_transcription_jobs import LEASE, _job
from tests.support.factories import T0, make_user

WINDOW = utc_now().replace(microsecond=0) + timedelta(days=20)
"""A month still running: DynamoDB's TTL would sweep the counter of one long past mid-test."""
NEXT_WINDOW = WINDOW + timedelta(days=30)
ALLOWANCE_S = 600


def _take(
    user_id: str, seconds: int, window_end: datetime = WINDOW, minutes: int = 0
) -> TranscriptionJob:
    return _job(user_id, minutes, reserved_s=seconds, minutes_window_end=window_end)


def test_reservations_add_up_to_the_allowance_and_no_further(repo: Repository) -> None:
    user = repo.create_user(make_user())
    assert repo.transcription_seconds_used(user.id, WINDOW) == 0
    assert repo.create_transcription_job(_take(user.id, 400), 5, ALLOWANCE_S)
    assert repo.create_transcription_job(_take(user.id, 200, minutes=1), 5, ALLOWANCE_S)
    assert repo.transcription_seconds_used(user.id, WINDOW) == 600
    refused = _take(user.id, 1, minutes=2)
    with pytest.raises(MinutesSpent) as spent:
        repo.create_transcription_job(refused, 5, ALLOWANCE_S)
    assert (spent.value.used_s, spent.value.allowance_s, spent.value.needed_s) == (600, 600, 1)
    # Nothing of the refused job was written: no record, and its slot is not taken.
    assert repo.get_transcription_job(user.id, refused.id) is None
    assert len(repo.list_active_transcription_jobs()) == 2
    assert repo.create_transcription_job(_take(user.id, 0, minutes=3), 3, ALLOWANCE_S)


def test_a_recording_longer_than_the_whole_allowance_is_refused(repo: Repository) -> None:
    user = repo.create_user(make_user())
    with pytest.raises(MinutesSpent):
        repo.create_transcription_job(_take(user.id, ALLOWANCE_S + 1), 3, ALLOWANCE_S)
    assert repo.list_user_transcription_jobs(user.id) == []
    assert repo.transcription_seconds_used(user.id, WINDOW) == 0


def test_the_job_count_refuses_before_the_minutes(repo: Repository) -> None:
    user = repo.create_user(make_user())
    assert repo.create_transcription_job(_take(user.id, 100), 1, ALLOWANCE_S)
    assert not repo.create_transcription_job(_take(user.id, 900, minutes=1), 1, ALLOWANCE_S)
    assert repo.transcription_seconds_used(user.id, WINDOW) == 100


def test_a_new_window_starts_from_zero(repo: Repository) -> None:
    user = repo.create_user(make_user())
    assert repo.create_transcription_job(_take(user.id, 600), 5, ALLOWANCE_S)
    assert repo.create_transcription_job(_take(user.id, 600, NEXT_WINDOW, 1), 5, ALLOWANCE_S)
    assert repo.transcription_seconds_used(user.id, WINDOW) == 600
    assert repo.transcription_seconds_used(user.id, NEXT_WINDOW) == 600


def test_failed_and_cancelled_jobs_refund_once_and_done_jobs_keep(repo: Repository) -> None:
    user = repo.create_user(make_user())
    done, failed, cancelled = (_take(user.id, 100, minutes=m) for m in range(3))
    for job in (done, failed, cancelled):
        assert repo.create_transcription_job(job, 5, ALLOWANCE_S)
    assert repo.transcription_seconds_used(user.id, WINDOW) == 300
    for job, status in ((done, DONE), (failed, FAILED)):
        repo.claim_transcription_job(user.id, job.id, "w", T0, T0 + LEASE)
        assert repo.finish_transcription_job(user.id, job.id, "w", status, T0)
        # A replayed finish changes nothing, so it cannot refund twice.
        assert not repo.finish_transcription_job(user.id, job.id, "w", status, T0)
    assert repo.transcription_seconds_used(user.id, WINDOW) == 200
    assert repo.cancel_transcription_job(user.id, cancelled.id, T0) is not None
    assert repo.cancel_transcription_job(user.id, cancelled.id, T0) is None
    assert repo.transcription_seconds_used(user.id, WINDOW) == 100
    stored = repo.get_transcription_job(user.id, done.id)
    assert stored is not None and (stored.reserved_s, stored.minutes_window_end) == (100, WINDOW)


def test_concurrent_submissions_never_pass_the_allowance(repo: Repository) -> None:
    user = repo.create_user(make_user())
    jobs = [_take(user.id, 100, minutes=m) for m in range(10)]

    def submit(job: TranscriptionJob) -> bool:
        try:
            return repo.create_transcription_job(job, 20, 350)
        except MinutesSpent:
            return False

    with ThreadPoolExecutor(max_workers=10) as pool:
        accepted = list(pool.map(submit, jobs))
    assert sum(accepted) == 3
    assert repo.transcription_seconds_used(user.id, WINDOW) == 300
    assert len(repo.list_user_transcription_jobs(user.id)) == 3
