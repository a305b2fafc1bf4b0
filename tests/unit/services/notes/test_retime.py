"""Re-reading a piece under new tempo and metre maps keeps every note's real time."""

from __future__ import annotations

import pickle
from dataclasses import replace

from keycraft.services.domain import (
    BeatTrack,
    Note,
    PedalSpan,
    ProjectTiming,
    TempoChange,
    TimeSignature,
)
from keycraft.services.notes import beat_map
from keycraft.services.notes.retime import retime_note, retime_pedals, retime_tick
from keycraft.services.notes.session import EditingSession
from keycraft.services.notes.timing import seconds_per_tick, seconds_to_tick, tick_to_seconds
from tests.unit.services.notes.test_beat_map import minuet_beats

PLAIN = ProjectTiming(120.0, TimeSignature(4, 4))


def _seconds(note: Note, tempo_map: tuple[TempoChange, ...]) -> tuple[float, float]:
    end = note.start_tick + note.duration_ticks
    return tick_to_seconds(note.start_tick, tempo_map), tick_to_seconds(end, tempo_map)


def _slowest_tick_s(*timings: ProjectTiming) -> float:
    return max(seconds_per_tick(c.tempo_bpm) for t in timings for c in t.tempo_map)


def test_seconds_round_trip_through_a_beat_map_within_a_millisecond() -> None:
    minuet = beat_map.timing_for(beat_map.tracked(minuet_beats(), TimeSignature(3, 4)))
    for step in range(0, 7700):
        heard_s = step * 0.01
        tick = seconds_to_tick(heard_s, minuet.tempo_map)
        assert abs(tick_to_seconds(tick, minuet.tempo_map) - heard_s) < 0.001


def test_a_tick_keeps_its_second_within_a_tick_there_and_back() -> None:
    minuet = beat_map.timing_for(beat_map.tracked(minuet_beats(), TimeSignature(3, 4)))
    tick_s = _slowest_tick_s(PLAIN, minuet)
    for tick in range(0, 80_000, 997):
        there = retime_tick(tick, PLAIN.tempo_map, minuet.tempo_map)
        heard = tick_to_seconds(tick, PLAIN.tempo_map)
        assert abs(tick_to_seconds(there, minuet.tempo_map) - heard) <= tick_s / 2
        back = retime_tick(there, minuet.tempo_map, PLAIN.tempo_map)
        assert abs(tick_to_seconds(back, PLAIN.tempo_map) - heard) <= tick_s


def test_notes_and_pedal_keep_their_times_under_any_reading() -> None:
    track = beat_map.tracked(minuet_beats(), TimeSignature(3, 4))
    readings = [
        beat_map.timing_for(track),
        beat_map.timing_for(replace(track, meter=TimeSignature(6, 8))),
        beat_map.timing_for(replace(track, first_downbeat_index=2)),
        beat_map.timing_for(replace(track, follow=False)),
    ]
    note = Note(12_345, 700, 64, 80)
    for reading in readings:
        moved = retime_note(note, PLAIN.tempo_map, reading.tempo_map)
        for was, now in zip(
            _seconds(note, PLAIN.tempo_map), _seconds(moved, reading.tempo_map), strict=True
        ):
            assert abs(was - now) <= _slowest_tick_s(reading) / 2 + 1e-9
    pedals = retime_pedals(
        (PedalSpan(100, 900), PedalSpan(900, 2000)), PLAIN.tempo_map, (TempoChange(0, 60.0),)
    )
    assert pedals == (PedalSpan(50, 450), PedalSpan(450, 1000))


def test_a_retime_is_one_undoable_step_that_carries_both_timings() -> None:
    notes = [Note(480 * i, 240, 60 + i % 12, 90) for i in range(40)]
    session = EditingSession(notes, [PedalSpan(0, 960)])
    track = beat_map.tracked(minuet_beats(), TimeSignature(3, 4))
    followed = beat_map.timing_for(track)
    edit = session.retime(PLAIN, followed)
    assert edit.changeset.timing == followed
    assert session.pedals != (PedalSpan(0, 960),)
    # The session survives the trip a Reflex state makes between events.
    session = pickle.loads(pickle.dumps(session))
    undone = session.undo()
    assert undone is not None and undone.changeset.timing == PLAIN
    assert sorted(session.notes.values(), key=lambda n: n.start_tick) == notes
    assert session.pedals == (PedalSpan(0, 960),)
    redone = session.redo()
    assert redone is not None and redone.changeset.timing == followed


def test_an_older_changeset_without_timing_unpickles_as_none() -> None:
    session = EditingSession([Note(0, 10, 60, 90)])
    session.set_velocity(list(session.notes), 20)
    restored = pickle.loads(pickle.dumps(session))
    step = restored.undo()
    assert step is not None and step.changeset.timing is None
    assert BeatTrack().beats == ()


def test_replacing_every_note_can_carry_the_maps_each_set_is_read_in() -> None:
    drawn = [Note(0, 480, 60, 90)]
    session = EditingSession(drawn)
    followed = beat_map.timing_for(beat_map.tracked(minuet_beats(), TimeSignature(3, 4)))
    session.replace_all([Note(480, 240, 67, 80)], timing=(PLAIN, followed))
    undone = session.undo()
    assert undone is not None and undone.changeset.timing == PLAIN
    assert list(session.notes.values()) == drawn
    redone = session.redo()
    assert redone is not None and redone.changeset.timing == followed
