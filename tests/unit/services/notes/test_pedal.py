"""The sustain pedal: checked spans, and an exact round trip through MIDI controller 64."""

import io

import mido
import pretty_midi
import pytest

from keycraft.services.domain import Note, PedalSpan, TimeSignature
from keycraft.services.notes.midi_io import export_midi, import_midi
from keycraft.services.notes.pedal import (
    InvalidPedal,
    check_pedals,
    merge_spans,
    replace_pedal_range,
)

CHORDS = tuple(Note(480 * i, 480, 60 + (i % 5), 70) for i in range(16))


def _save(midi: mido.MidiFile) -> bytes:
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def test_spans_are_ordered_and_refused_when_they_overlap_or_do_not_last() -> None:
    assert check_pedals([PedalSpan(960, 1900), PedalSpan(0, 900)]) == (
        PedalSpan(0, 900),
        PedalSpan(960, 1900),
    )
    # A re-pedal: released and pressed again at the same tick.
    assert check_pedals([PedalSpan(0, 960), PedalSpan(960, 1920)])
    for bad in ([PedalSpan(0, 960), PedalSpan(900, 1920)], [PedalSpan(5, 5)], [PedalSpan(-1, 4)]):
        with pytest.raises(InvalidPedal):
            check_pedals(bad)


def test_overlapping_lines_join_and_touching_spans_stay_apart() -> None:
    assert merge_spans([PedalSpan(0, 500), PedalSpan(400, 900), PedalSpan(900, 1000)]) == (
        PedalSpan(0, 900),
        PedalSpan(900, 1000),
    )


def test_export_then_import_gives_back_exactly_the_pedal() -> None:
    pedals = (PedalSpan(0, 940), PedalSpan(960, 1920), PedalSpan(1920, 3000), PedalSpan(5000, 7680))
    data = export_midi(CHORDS, 96.0, TimeSignature(3, 4), "Pedalled", pedals=pedals)
    back = import_midi(data)
    assert back.pedals == pedals
    assert back.notes == tuple(sorted(CHORDS, key=lambda n: (n.start_tick, n.pitch_midi)))


def test_overlapping_notes_of_one_pitch_each_channel_carries_the_pedal() -> None:
    # Two overlapping notes of one pitch go to two channels: both must hear the pedal.
    notes = (Note(0, 960, 60, 80), Note(480, 960, 60, 80))
    data = export_midi(notes, 120.0, TimeSignature(), pedals=(PedalSpan(0, 1920),))
    midi = mido.MidiFile(file=io.BytesIO(data))
    note_channels = {m.channel for m in midi.tracks[0] if m.type == "note_on"}
    pedal_channels = {
        m.channel for m in midi.tracks[0] if m.type == "control_change" and m.control == 64
    }
    assert len(note_channels) == 2 and pedal_channels == note_channels
    assert import_midi(data).pedals == (PedalSpan(0, 1920),)


def test_another_programs_pedal_reads_as_our_spans() -> None:
    # pretty_midi writes a file the way other software does; its seconds become our ticks.
    score = pretty_midi.PrettyMIDI(initial_tempo=120.0)
    piano = pretty_midi.Instrument(program=0)
    piano.notes.append(pretty_midi.Note(velocity=80, pitch=60, start=0.0, end=2.0))
    for start, end in ((0.0, 0.9), (1.0, 1.75)):
        piano.control_changes.append(pretty_midi.ControlChange(64, 100, start))
        piano.control_changes.append(pretty_midi.ControlChange(64, 10, end))
    # A value below 64 does not press it; a second press while it is down changes nothing.
    piano.control_changes.append(pretty_midi.ControlChange(64, 40, 0.95))
    piano.control_changes.append(pretty_midi.ControlChange(64, 127, 1.2))
    score.instruments.append(piano)
    out = io.BytesIO()
    score.write(out)
    assert import_midi(out.getvalue()).pedals == (PedalSpan(0, 864), PedalSpan(960, 1680))


def test_a_pedal_left_down_ends_with_its_track_and_drums_and_skipped_tracks_do_not_pedal() -> None:
    midi = mido.MidiFile(type=1, ticks_per_beat=480)
    midi.tracks.append(
        mido.MidiTrack(
            [
                mido.Message("note_on", channel=0, note=60, velocity=80, time=0),
                mido.Message("control_change", channel=0, control=64, value=127, time=0),
                mido.Message("note_off", channel=0, note=60, velocity=0, time=960),
            ]
        )
    )
    midi.tracks.append(
        mido.MidiTrack(
            [
                mido.Message("note_on", channel=9, note=36, velocity=80, time=0),
                mido.Message("control_change", channel=9, control=64, value=127, time=0),
                mido.Message("note_on", channel=1, note=64, velocity=80, time=0),
                mido.Message("control_change", channel=1, control=64, value=127, time=1000),
                mido.Message("control_change", channel=1, control=64, value=0, time=500),
                mido.Message("note_off", channel=1, note=64, velocity=0, time=0),
            ]
        )
    )
    data = _save(midi)
    assert import_midi(data).pedals == (PedalSpan(0, 960), PedalSpan(1000, 1500))
    assert import_midi(data, frozenset({0})).pedals == (PedalSpan(0, 960),)


def test_a_range_swaps_only_the_pedal_inside_it_and_cuts_spans_at_its_edges() -> None:
    existing = (
        PedalSpan(0, 900),  # before the range: kept whole
        PedalSpan(1800, 2100),  # crosses the start: cut there
        PedalSpan(2200, 3000),  # inside: replaced
        PedalSpan(3700, 4000),  # crosses the end: its part after the range stays
        PedalSpan(4000, 4500),  # touches the end: kept whole
    )
    incoming = (PedalSpan(1500, 2000), PedalSpan(2500, 3000), PedalSpan(3500, 3900))
    assert replace_pedal_range(existing, incoming, 1920, 3840) == (
        PedalSpan(0, 900),
        PedalSpan(1800, 1920),
        PedalSpan(1920, 2000),
        PedalSpan(2500, 3000),
        PedalSpan(3500, 3840),
        PedalSpan(3840, 4000),
        PedalSpan(4000, 4500),
    )


def test_a_span_over_the_whole_range_keeps_both_ends_outside_it() -> None:
    assert replace_pedal_range([PedalSpan(0, 5000)], [], 1920, 3840) == (
        PedalSpan(0, 1920),
        PedalSpan(3840, 5000),
    )
    assert replace_pedal_range([PedalSpan(2000, 3000)], [], 1920, 3840) == ()
