"""Project rules that need no storage: tempo and time-signature maps, and scaling a map."""

from dataclasses import replace

import pytest

from keycraft.services import projects
from keycraft.services.domain import TempoChange, TimeSignatureChange
from tests.support.factories import make_project, make_user

RITARDANDO = (TempoChange(1920, 90.0), TempoChange(3840, 60.0))


def test_typing_a_new_first_tempo_scales_every_later_tempo_alike() -> None:
    project = replace(make_project(make_user()), tempo_bpm=120.0, tempo_changes=RITARDANDO)
    first, changes = projects.scale_tempo_map(project, 60)
    assert first == 60.0
    assert changes == (TempoChange(1920, 45.0), TempoChange(3840, 30.0))


def test_scaling_refuses_a_later_tempo_out_of_range() -> None:
    project = replace(make_project(make_user()), tempo_bpm=120.0, tempo_changes=RITARDANDO)
    with pytest.raises(projects.InvalidTempo):
        projects.scale_tempo_map(project, 35)  # 60 BPM would become 17.5


def test_a_project_without_changes_just_takes_the_new_tempo() -> None:
    assert projects.scale_tempo_map(make_project(make_user()), 96.123) == (96.12, ())


def test_changes_must_be_after_tick_zero_in_order_and_not_too_many() -> None:
    assert projects.check_tempo_changes(RITARDANDO) == RITARDANDO
    for bad in (
        (TempoChange(0, 90.0),),
        (TempoChange(960, 90.0), TempoChange(960, 80.0)),
        (TempoChange(960, 90.0), TempoChange(480, 80.0)),
        tuple(TempoChange(i + 1, 90.0) for i in range(projects.MAX_MAP_CHANGES + 1)),
    ):
        with pytest.raises(projects.InvalidTempoMap):
            projects.check_tempo_changes(bad)
    with pytest.raises(projects.InvalidTempo):
        projects.check_tempo_changes((TempoChange(960, 500.0),))


def test_time_signature_changes_are_checked_like_the_first_signature() -> None:
    ok = (TimeSignatureChange(1440, 4, 4), TimeSignatureChange(3360, 6, 8))
    assert projects.check_time_signature_changes(ok) == ok
    with pytest.raises(projects.InvalidTimeSignature):
        projects.check_time_signature_changes((TimeSignatureChange(1440, 4, 3),))
    with pytest.raises(projects.InvalidTempoMap):
        projects.check_time_signature_changes((TimeSignatureChange(0, 4, 4),))
