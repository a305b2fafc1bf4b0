"""Monthly transcription minutes: the window, the rounding, refusal and refunds in the runner."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from keycraft.services.billing.plans import Plan, PlanCatalog
from keycraft.services.clock import utc_now
from keycraft.services.errors import NotFound
from keycraft.services.jobs.errors import MinutesSpent
from keycraft.services.jobs.minutes import (
    MIN_RESERVED_S,
    MinutesStatus,
    minutes_status,
    minutes_text,
    reserved_seconds,
    window_end,
)
from keycraft.services.jobs.model import DONE, FAILED
from keycraft.services.jobs.runner import run_job
from keycraft.services.jobs.submit import cancel_job, check_minutes_left
from keycraft.services.repository.port import Repository
from keycraft.services.transcription.client import AudioRejected
from tests.support.factories import make_user
from tests.unit.services.jobs.test_runner import (
    ScriptedTranscriber,
    _context,
    _result,
    _submit,
)

FREE = Plan(key="free", name="Free", monthly_downloads=3, monthly_transcription_minutes=2)
PRO = Plan(
    key="pro", name="Pro", monthly_downloads=9, monthly_transcription_minutes=60, price_cents=900
)
CATALOG = PlanCatalog((FREE, PRO))
JOINED = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)


def test_reserved_seconds_round_up_and_never_reach_zero() -> None:
    assert reserved_seconds(59.2) == 60
    assert reserved_seconds(60.0) == 60
    assert reserved_seconds(None) == MIN_RESERVED_S
    assert reserved_seconds(0.0) == MIN_RESERVED_S


def test_status_counts_what_is_left() -> None:
    status = MinutesStatus(used_s=61, allowance_s=120, window_end=JOINED)
    assert (status.allowance_minutes, status.left_s) == (2, 59)
    assert MinutesStatus(used_s=500, allowance_s=120, window_end=JOINED).left_s == 0


def test_minutes_are_shown_in_tenths_never_as_spent_while_seconds_are_left() -> None:
    assert [minutes_text(s) for s in (0, 5, 60, 90, 1790, 1800)] == [
        "0",
        "0.1",
        "1",
        "1.5",
        "29.8",
        "30",
    ]
    assert [minutes_text(s, round_up=True) for s in (1, 40, 61)] == ["0.1", "0.7", "1.1"]


def test_the_window_is_the_download_quotas_and_rolls_monthly(repo: Repository) -> None:
    user = repo.create_user(make_user(created_at=JOINED))
    assert window_end(repo, user.id, JOINED + timedelta(days=3)) == datetime(
        2026, 2, 28, 9, 0, tzinfo=UTC
    )
    # Months later, with the download window never restarted, it still rolls on its own.
    later = datetime(2026, 5, 2, tzinfo=UTC)
    assert window_end(repo, user.id, later) == datetime(2026, 5, 31, 9, 0, tzinfo=UTC)
    with pytest.raises(NotFound):
        window_end(repo, "nobody", later)


def test_the_plan_sets_the_allowance(repo: Repository) -> None:
    free = repo.create_user(make_user())
    pro = repo.create_user(make_user(active_plans=("pro",)))
    now = utc_now()
    assert (s := minutes_status(repo, CATALOG, free.id, now)) and s.allowance_s == 120
    assert (s := minutes_status(repo, CATALOG, pro.id, now)) and s.allowance_s == 3600
    assert minutes_status(repo, CATALOG, "nobody", now) is None
    check_minutes_left(repo, CATALOG, free.id, 120.0, now)
    with pytest.raises(MinutesSpent) as spent:
        check_minutes_left(repo, CATALOG, free.id, 120.5, now)
    assert (spent.value.needed_s, spent.value.allowance_s) == (121, 120)


def _used(repo: Repository, user_id: str) -> int:
    status = minutes_status(repo, PlanCatalog(), user_id, utc_now())
    assert status is not None
    return status.used_s


def test_a_failed_or_cancelled_job_gives_its_minutes_back_a_done_one_keeps_them(
    repo: Repository, tmp_path: Path
) -> None:
    transcriber = ScriptedTranscriber([_result(2), AudioRejected("unsupported")])
    ctx, _ = _context(repo, tmp_path, transcriber)
    user_id, done_id, _ = _submit(ctx)  # each reserves 2 s
    _, failed_id, _ = _submit(ctx)
    _, cancelled_id, _ = _submit(ctx)
    assert _used(repo, user_id) == 6
    assert asyncio.run(run_job(ctx, user_id, done_id)) == DONE
    assert asyncio.run(run_job(ctx, user_id, failed_id)) == FAILED
    assert asyncio.run(run_job(ctx, user_id, failed_id)) is None  # a replayed delivery
    assert cancel_job(repo, ctx.storage, user_id, cancelled_id, utc_now())
    assert not cancel_job(repo, ctx.storage, user_id, cancelled_id, utc_now())
    assert _used(repo, user_id) == 2
