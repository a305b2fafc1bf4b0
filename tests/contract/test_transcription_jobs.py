"""Contract: transcription jobs are records with atomic claims, limits and one ending."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from keycraft.services.jobs.model import CANCELLED, DONE, FAILED, QUEUED, RUNNING, TranscriptionJob
from keycraft.services.repository.port import Repository
from tests.support.factories import T0, make_user, new_id

LEASE = timedelta(seconds=30)


def _job(user_id: str, minutes: int = 0, **fields: object) -> TranscriptionJob:
    at = T0 + timedelta(minutes=minutes)
    return TranscriptionJob(
        id=new_id(),
        user_id=user_id,
        project_id=new_id(),
        recording_key=f"users/{user_id}/x/source.wav",
        filename="take.wav",
        title="Take",
        created_at=at,
        updated_at=at,
        options={"model": "basic-pitch", "onset_threshold": 0.5},
        **fields,  # type: ignore[arg-type]
    )


def test_a_job_is_stored_and_read_back_by_its_owner_only(repo: Repository) -> None:
    user, other = repo.create_user(make_user()), repo.create_user(make_user())
    job = _job(user.id)
    assert repo.create_transcription_job(job, max_active=3)
    assert repo.get_transcription_job(user.id, job.id) == job
    assert repo.get_transcription_job(other.id, job.id) is None
    assert [j.id for j in repo.list_user_transcription_jobs(user.id)] == [job.id]
    assert repo.list_user_transcription_jobs(other.id) == []


def test_active_jobs_per_user_are_limited_and_freed_when_they_end(repo: Repository) -> None:
    user = repo.create_user(make_user())
    first, second, third = (_job(user.id, m) for m in range(3))
    assert repo.create_transcription_job(first, 2)
    assert repo.create_transcription_job(second, 2)
    assert not repo.create_transcription_job(third, 2)
    assert repo.get_transcription_job(user.id, third.id) is None
    assert repo.cancel_transcription_job(user.id, first.id, T0) is not None
    assert repo.create_transcription_job(third, 2)


def test_concurrent_submissions_never_pass_the_limit(repo: Repository) -> None:
    user = repo.create_user(make_user())
    jobs = [_job(user.id, m) for m in range(12)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        accepted = list(pool.map(lambda j: repo.create_transcription_job(j, 3), jobs))
    assert sum(accepted) == 3
    assert len(repo.list_user_transcription_jobs(user.id)) == 3


def test_only_one_of_many_claims_wins(repo: Repository) -> None:
    user = repo.create_user(make_user())
    job = _job(user.id)
    repo.create_transcription_job(job, 3)
    claims = [new_id() for _ in range(10)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        won = list(
            pool.map(
                lambda c: repo.claim_transcription_job(user.id, job.id, c, T0, T0 + LEASE), claims
            )
        )
    winners = [w for w in won if w is not None]
    assert len(winners) == 1
    assert (winners[0].status, winners[0].attempts) == (RUNNING, 1)
    assert winners[0].started_at == T0


def test_a_crashed_claim_is_taken_over_after_its_lease(repo: Repository) -> None:
    user = repo.create_user(make_user())
    job = _job(user.id)
    repo.create_transcription_job(job, 3)
    assert repo.claim_transcription_job(user.id, job.id, "a", T0, T0 + LEASE)
    assert repo.claim_transcription_job(user.id, job.id, "b", T0 + LEASE / 2, T0 + LEASE) is None
    later = T0 + LEASE + timedelta(seconds=1)
    taken = repo.claim_transcription_job(user.id, job.id, "b", later, later + LEASE)
    assert taken is not None and (taken.claim_id, taken.attempts) == ("b", 2)
    # The first worker, if it still runs, can no longer report or finish.
    assert not repo.record_transcription_progress(user.id, job.id, "a", 1, 2, later, later + LEASE)
    assert not repo.finish_transcription_job(user.id, job.id, "a", DONE, later)
    assert repo.finish_transcription_job(user.id, job.id, "b", DONE, later, note_count=46)
    done = repo.get_transcription_job(user.id, job.id)
    assert done is not None and (done.status, done.note_count, done.percent) == (DONE, 46, 100)


def test_progress_is_stored_and_the_lease_extended(repo: Repository) -> None:
    user = repo.create_user(make_user())
    job = _job(user.id)
    repo.create_transcription_job(job, 3)
    repo.claim_transcription_job(user.id, job.id, "a", T0, T0 + LEASE)
    later = T0 + LEASE * 2
    assert repo.record_transcription_progress(user.id, job.id, "a", 3, 4, T0, later)
    stored = repo.get_transcription_job(user.id, job.id)
    assert stored is not None
    assert (stored.progress_done, stored.progress_total, stored.percent) == (3, 4, 75)
    assert stored.lease_until == later
    # Within the extended lease nobody else can take it.
    assert repo.claim_transcription_job(user.id, job.id, "b", T0 + LEASE * 1.5, later) is None


def test_queue_positions_count_older_queued_jobs_of_anyone(repo: Repository) -> None:
    a, b = repo.create_user(make_user()), repo.create_user(make_user())
    first, second, third = _job(a.id, 0), _job(b.id, 1), _job(a.id, 2)
    for job in (first, second, third):
        repo.create_transcription_job(job, 3)
    assert [repo.transcription_queue_position(j) for j in (first, second, third)] == [0, 1, 2]
    repo.claim_transcription_job(a.id, first.id, "w", T0, T0 + LEASE)
    assert repo.transcription_queue_position(second) == 0
    assert repo.transcription_queue_position(third) == 1
    # A job put back (the transcriber was busy) is queued again, ahead of younger ones.
    assert repo.release_transcription_job(a.id, first.id, "w", T0)
    assert repo.transcription_queue_position(third) == 2
    back = repo.get_transcription_job(a.id, first.id)
    assert back is not None and (back.status, back.claim_id) == (QUEUED, "")


def test_active_jobs_are_listed_for_recovery_until_they_end(repo: Repository) -> None:
    user = repo.create_user(make_user())
    first, second, third = (_job(user.id, m) for m in range(3))
    for job in (first, second, third):
        repo.create_transcription_job(job, 5)
    repo.claim_transcription_job(user.id, second.id, "w", T0, T0 + LEASE)
    repo.claim_transcription_job(user.id, third.id, "w", T0, T0 + LEASE)
    repo.finish_transcription_job(user.id, third.id, "w", FAILED, T0, error="unsupported")
    active = repo.list_active_transcription_jobs()
    assert [(j.id, j.status) for j in active if j.user_id == user.id] == [
        (first.id, QUEUED),
        (second.id, RUNNING),
    ]
    failed = repo.get_transcription_job(user.id, third.id)
    assert failed is not None and (failed.status, failed.error) == (FAILED, "unsupported")


def test_cancel_ends_an_active_job_once(repo: Repository) -> None:
    user = repo.create_user(make_user())
    job = _job(user.id)
    repo.create_transcription_job(job, 1)
    repo.claim_transcription_job(user.id, job.id, "w", T0, T0 + LEASE)
    before = repo.cancel_transcription_job(user.id, job.id, T0)
    assert before is not None and before.status == RUNNING
    assert repo.cancel_transcription_job(user.id, job.id, T0) is None
    # The worker learns of it: its progress and its ending are refused.
    assert not repo.record_transcription_progress(user.id, job.id, "w", 1, 2, T0, T0 + LEASE)
    assert not repo.finish_transcription_job(user.id, job.id, "w", DONE, T0)
    stored = repo.get_transcription_job(user.id, job.id)
    assert stored is not None and stored.status == CANCELLED
    assert repo.create_transcription_job(_job(user.id, 5), 1)


def test_changing_a_jobs_options_in_hand_never_changes_the_stored_job(repo: Repository) -> None:
    user = repo.create_user(make_user())
    job = _job(user.id)
    repo.create_transcription_job(job, 3)
    job.options["model"] = "changed after writing"
    read = repo.get_transcription_job(user.id, job.id)
    assert read is not None
    read.options["onset_threshold"] = 0.9
    claimed = repo.claim_transcription_job(user.id, job.id, "w", T0, T0 + LEASE)
    assert claimed is not None
    claimed.options.clear()
    (listed,) = repo.list_user_transcription_jobs(user.id)
    assert listed.options == {"model": "basic-pitch", "onset_threshold": 0.5}
