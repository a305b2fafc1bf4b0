"""The learner's corrections beside the notes: bar 1 dropped on the ruler, the key followed."""

from __future__ import annotations

from keycraft.services.domain import BeatTrack, Note, TimeSignature, TrackedBeat
from keycraft.services.notes import beat_map
from keycraft.services.notes.roll_events import DownbeatEvent
from keycraft.state.editor_key import EditorKeyState
from keycraft.state.editor_meter import EditorMeterState
from tests.unit.state.conftest import OpenEditor, run

# Beats every half second from 0.5 s, bar 1 on the second one, read in 3/4.
BEATS = tuple(TrackedBeat(0.5 + 0.5 * i, (i - 1) % 3 == 0) for i in range(24))


def _with_beats(tab: OpenEditor) -> None:
    repo = tab.services.repository
    track = BeatTrack(BEATS, TimeSignature(3, 4), 1, follow=True)
    stored = tab.stored()
    repo.save_project(stored.with_timing(beat_map.timing_for(track)), stored.version)


def test_bar_one_dropped_on_the_ruler_moves_to_the_nearest_beat(tab: OpenEditor) -> None:
    _with_beats(tab)
    editor = tab.editor
    run(editor.load)
    project = editor.open_project()
    assert project is not None
    first_tick = editor.first_downbeat_tick
    assert first_tick == beat_map.first_downbeat_tick(project.beat_track, project.tempo_map)
    beat_ticks = 480  # following the performance, each tracked beat is one quarter
    meter = tab.state(EditorMeterState)
    # Let go a little after the fourth beat from bar 1: bar 1 starts on that beat.
    run(meter.drop_first_downbeat, DownbeatEvent(tick=first_tick + 3 * beat_ticks + 100))
    assert editor.beat_reading["first_downbeat"] == "4"
    assert tab.stored().beat_track.first_downbeat_index == 4
    moved = editor.open_project()
    assert moved is not None
    assert editor.first_downbeat_tick == beat_map.first_downbeat_tick(
        moved.beat_track, moved.tempo_map
    )
    # A drop with no tick, or before the start, changes nothing.
    for bad in ({}, {"tick": -5}, {"tick": "soon"}):
        assert run(meter.drop_first_downbeat, bad) is None
    assert tab.stored().beat_track.first_downbeat_index == 4
    run(editor.undo)
    assert editor.beat_reading["first_downbeat"] == "1"
    assert editor.first_downbeat_tick == first_tick


def test_a_project_without_tracked_beats_has_no_handle(tab: OpenEditor) -> None:
    run(tab.editor.load)
    assert tab.editor.first_downbeat_tick == -1


def test_the_key_shown_follows_edits_that_move_the_estimate(tab: OpenEditor) -> None:
    editor = tab.editor
    run(editor.load)
    key = tab.state(EditorKeyState)
    run(key.load)
    d_major = [Note(i * 480, 480, p, 80) for i, p in enumerate((62, 64, 66, 67, 69, 71, 73, 74))]
    d_major += [Note(0, 3840, 50, 70), Note(0, 3840, 57, 70)]
    run(editor.fill, editor.open_project(), d_major)
    assert key.key_name == "D major"
    run(editor.select_all)
    run(editor.transpose, 2)
    assert key.key_name == "E major" and key.choice == "Estimated"
    run(editor.undo)
    assert key.key_name == "D major"
