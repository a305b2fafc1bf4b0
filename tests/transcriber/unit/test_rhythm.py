"""The beat, downbeat and metre tracker on note lists written as scores."""

from __future__ import annotations

import mir_eval
import numpy as np
import pytest

from transcriber.domain import Beat, Meter, NoteEvent, Rhythm
from transcriber.evaluation.metred import metred_set, minuet_ritardando
from transcriber.evaluation.recital import ScoreBuilder, TempoCurve
from transcriber.rhythm import track_rhythm
from transcriber.rhythm.meter import read_bars

_HARMONY = ((48, (64, 67)), (43, (62, 65)), (45, (60, 64)), (41, (60, 65)))


def _dance(
    beats_per_bar: int, bars: int, tempo: TempoCurve, pickup: int = 0
) -> tuple[list[NoteEvent], list[float], list[float]]:
    """Bass held on one, short chords on the other beats, a tune on every beat.

    Returns the notes, every beat's time and the downbeats' times.
    """
    s = ScoreBuilder("dance", tempo.bpm_at(0), seed=9, tempo=tempo)
    for beat in range(pickup):
        s.add(beat, 1, 72 + 2 * beat, 76)
    for bar in range(bars):
        bass, chord = _HARMONY[bar % len(_HARMONY)]
        start = pickup + bar * beats_per_bar
        s.add(start, beats_per_bar - 1, bass, 74)
        for k in range(1, beats_per_bar):
            s.chord(start + k, 1, chord, 50, held=0.4)
        for k in range(beats_per_bar):
            s.add(start + k, 1, 72 + (bar + 2 * k) % 7, 80, held=0.8)
    total = pickup + bars * beats_per_bar
    notes = [NoteEvent(n.start_s, n.end_s, n.pitch_midi, n.velocity) for n in s.piece().notes]
    beats = [s.at(b) for b in range(total)]
    downbeats = [s.at(pickup + bar * beats_per_bar) for bar in range(bars)]
    return notes, beats, downbeats


def _f(reference: list[float], found: list[float]) -> float:
    return float(mir_eval.beat.f_measure(np.array(reference), np.array(found)))


def _times(rhythm: Rhythm, downbeats_only: bool = False) -> list[float]:
    return [b.time_s for b in rhythm.beats if b.downbeat or not downbeats_only]


@pytest.mark.parametrize("beats_per_bar", [3, 4])
def test_a_steady_piece_gets_its_beats_bars_and_metre(beats_per_bar: int) -> None:
    notes, beats, downbeats = _dance(beats_per_bar, 8, TempoCurve(((0.0, 96.0),)))
    rhythm = track_rhythm(notes)
    assert rhythm.meter == Meter(beats_per_bar, 4)
    assert _f(beats, _times(rhythm)) == pytest.approx(1.0)
    assert _f(downbeats, _times(rhythm, downbeats_only=True)) == pytest.approx(1.0)
    assert [b.time_s for b in rhythm.beats] == sorted(b.time_s for b in rhythm.beats)


def test_the_beats_follow_a_ritardando() -> None:
    # 3/4 from 120 to 66 bpm over the last four bars: the last beats are almost twice as long.
    notes, beats, downbeats = _dance(3, 10, TempoCurve(((18.0, 120.0), (30.0, 66.0))))
    rhythm = track_rhythm(notes)
    assert rhythm.meter == Meter(3, 4)
    assert _f(beats, _times(rhythm)) >= 0.95
    assert _f(downbeats, _times(rhythm, downbeats_only=True)) >= 0.9
    gaps = np.diff(_times(rhythm))
    assert gaps[-1] > 1.6 * gaps[0]


def test_the_beats_follow_an_accelerando() -> None:
    notes, beats, downbeats = _dance(4, 8, TempoCurve(((0.0, 84.0), (32.0, 126.0))))
    rhythm = track_rhythm(notes)
    assert rhythm.meter == Meter(4, 4)
    assert _f(beats, _times(rhythm)) >= 0.95
    assert _f(downbeats, _times(rhythm, downbeats_only=True)) >= 0.9


def test_a_pickup_is_not_a_downbeat() -> None:
    notes, beats, downbeats = _dance(4, 6, TempoCurve(((0.0, 100.0),)), pickup=1)
    rhythm = track_rhythm(notes)
    assert rhythm.meter == Meter(4, 4)
    assert rhythm.beats[0].time_s == pytest.approx(beats[0], abs=0.02)
    assert [b.downbeat for b in rhythm.beats[:6]] == [False, True, False, False, False, True]
    assert _f(downbeats, _times(rhythm, downbeats_only=True)) == pytest.approx(1.0)


def test_a_few_onsets_give_no_beats_and_no_metre() -> None:
    notes = [NoteEvent(0.3 + 0.5 * i, 0.7 + 0.5 * i, 60 + i, 80) for i in range(5)]
    assert track_rhythm(notes) == Rhythm(beats=[], meter=None)
    assert track_rhythm([]) == Rhythm.unknown()


def test_bars_whose_third_beat_is_as_strong_as_the_first_are_counted_in_two() -> None:
    accents = np.tile([1.0, -1.0, 1.0, -1.0], 6)
    assert read_bars(accents).beats_per_bar == 2
    accents = np.tile([2.0, -1.0, 0.5, -1.0], 6)
    reading = read_bars(accents)
    assert (reading.beats_per_bar, reading.first_downbeat) == (4, 0)
    accents = np.tile([-1.0, 2.0, -0.5], 6)
    reading = read_bars(accents)
    assert (reading.beats_per_bar, reading.first_downbeat) == (3, 1)


def test_score_notes_of_the_evaluation_pieces_give_their_beats_and_metre() -> None:
    for metred in metred_set():
        notes = [
            NoteEvent(n.start_s, n.end_s, n.pitch_midi, n.velocity) for n in metred.piece.notes
        ]
        rhythm = track_rhythm(notes)
        assert rhythm.meter == Meter(metred.beats_per_bar, 4), metred.name
        downbeats = _times(rhythm, downbeats_only=True)
        assert _f(list(metred.downbeats_s), downbeats) >= 0.9, metred.name


def test_a_tempo_curve_integrates_to_the_seconds_of_each_beat() -> None:
    steady = TempoCurve(((0.0, 120.0),))
    assert steady.seconds_to(6) == pytest.approx(3.0)
    # Linear from 120 to 60 bpm over 4 beats: the integral of 60 / (120 - 15 b) db.
    slowing = TempoCurve(((0.0, 120.0), (4.0, 60.0)))
    assert slowing.seconds_to(4) == pytest.approx(4 * np.log(2), rel=1e-4)
    assert slowing.seconds_to(5) == pytest.approx(4 * np.log(2) + 1.0, rel=1e-4)
    assert slowing.bpm_at(2) == pytest.approx(90.0)


def test_the_minuets_written_beats_slow_down_and_bars_hold_three() -> None:
    minuet = minuet_ritardando()
    assert (minuet.beats_per_bar, minuet.beat_unit) == (3, 4)
    assert minuet.downbeats_s == minuet.beats_s[::3]
    gaps = np.diff(minuet.beats_s)
    assert gaps[0] == pytest.approx(60 / 126)
    assert gaps[-1] > 1.25 * gaps[0]


def test_beats_are_in_order_and_downbeats_repeat_every_bar() -> None:
    notes, _, _ = _dance(3, 6, TempoCurve(((0.0, 110.0),)))
    beats = track_rhythm(notes).beats
    assert all(isinstance(b, Beat) for b in beats)
    marks = [i for i, b in enumerate(beats) if b.downbeat]
    assert np.all(np.diff(marks) == 3)
