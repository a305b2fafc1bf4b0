"""A running job's estimate, and its partial notes as stored and read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from keycraft.services.jobs.estimate import REAL_TIME_FACTOR, remaining_s
from keycraft.services.jobs.preview import (
    JobPreview,
    preview_key,
    read_preview,
    remove_preview,
    write_preview,
)
from keycraft.services.storage.local import LocalStorage
from keycraft.services.transcription.client import TranscribedNote


def test_before_the_first_part_the_estimate_is_the_length_times_the_model_factor() -> None:
    factor = REAL_TIME_FACTOR["transkun"]
    assert remaining_s("transkun", 120.0, 0, 17, 0.0) == pytest.approx(120.0 * factor)
    assert remaining_s("transkun", 120.0, 0, 17, 30.0) == pytest.approx(120.0 * factor - 30.0)
    # Time already spent beyond the guess leaves nothing to promise, never a negative.
    assert remaining_s("basic-pitch", 10.0, 0, 2, 60.0) == 0.0


def test_after_parts_the_estimate_extrapolates_the_time_per_part() -> None:
    assert remaining_s("transkun", 120.0, 4, 17, 40.0) == pytest.approx(130.0)
    assert remaining_s("transkun", 120.0, 17, 17, 170.0) == 0.0
    assert remaining_s("basic-pitch", 0.0, 1, 3, 2.0) == pytest.approx(4.0)


def test_nothing_known_gives_no_estimate() -> None:
    assert remaining_s("transkun", 0.0, 0, 0, 5.0) is None
    assert remaining_s("some-new-model", 10.0, 0, 0, 0.0) == pytest.approx(10.0)


def test_a_preview_is_replaced_read_and_removed(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "media")
    assert read_preview(storage, "job1") is None
    note = TranscribedNote(start_s=0.5, end_s=1.25, pitch_midi=60, velocity=80)
    write_preview(storage, "job1", JobPreview(1, 4, 30.0, 1_700_000_000.0, (note,)))
    write_preview(storage, "job1", JobPreview(2, 4, 30.0, 1_700_000_000.0, (note, note)))
    assert read_preview(storage, "job1") == JobPreview(2, 4, 30.0, 1_700_000_000.0, (note, note))
    assert [o.key for o in storage.list_objects("tmp/")] == [preview_key("job1")]
    remove_preview(storage, "job1")
    assert read_preview(storage, "job1") is None
    assert storage.list_objects("tmp/") == []


def test_a_damaged_preview_reads_as_none(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "media")
    storage.put(preview_key("job2"), b"{not json", "application/json")
    assert read_preview(storage, "job2") is None
