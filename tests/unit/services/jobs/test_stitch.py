"""Stitching chunk transcriptions: each note once, held notes whole, with synthetic notes."""

from __future__ import annotations

from keycraft.services.domain import TimeSignature
from keycraft.services.jobs.stitch import (
    ChunkTranscription,
    choose_cut_s,
    join_notes,
    stitch,
)
from keycraft.services.transcription.client import (
    TranscribedBeat,
    TranscribedNote,
    TranscribedPedal,
    Transcription,
)


def _n(start_s: float, end_s: float, pitch_midi: int = 60) -> TranscribedNote:
    return TranscribedNote(start_s, end_s, pitch_midi, 80)


def _chunk(
    start_s: float,
    end_s: float,
    notes: list[TranscribedNote],
    pedals: tuple[TranscribedPedal, ...] = (),
    beats: tuple[TranscribedBeat, ...] = (),
) -> ChunkTranscription:
    """A chunk whose notes are given in recording time (shifted into the chunk's own)."""
    local = tuple(
        TranscribedNote(n.start_s - start_s, n.end_s - start_s, n.pitch_midi, n.velocity)
        for n in notes
    )
    local_pedals = tuple(TranscribedPedal(p.start_s - start_s, p.end_s - start_s) for p in pedals)
    local_beats = tuple(TranscribedBeat(b.time_s - start_s, b.downbeat) for b in beats)
    result = Transcription(
        "basic-pitch", end_s - start_s, 1.0, local, local_pedals, local_beats, TimeSignature()
    )
    return ChunkTranscription(start_s, end_s, result)


def _heard(chunk_start_s: float, chunk_end_s: float, truth: list[TranscribedNote]) -> list:
    """What a chunk hears of the true notes: those sounding in its audio, cut to its edges."""
    return [
        _n(max(n.start_s, chunk_start_s), min(n.end_s, chunk_end_s), n.pitch_midi)
        for n in truth
        if n.end_s > chunk_start_s and n.start_s < chunk_end_s
    ]


def _keys(notes: tuple[TranscribedNote, ...] | list[TranscribedNote]) -> list[tuple]:
    return sorted((round(n.start_s, 3), round(n.end_s, 3), n.pitch_midi) for n in notes)


def test_a_short_recording_in_one_chunk_comes_back_as_it_was() -> None:
    notes = [_n(0.5, 1.0), _n(1.0, 2.0, 64)]
    out = stitch([_chunk(0.0, 3.0, notes)], 3.0)
    assert _keys(out.notes) == _keys(notes)
    assert out.duration_s == 3.0


def test_every_note_is_kept_once_across_two_seams() -> None:
    # A note every 0.25 s on a rising pattern, over three chunks of 20 s sharing 10 s.
    truth = [_n(0.1 + 0.25 * i, 0.3 + 0.25 * i, 48 + i % 24) for i in range(159)]
    spans = [(0.0, 20.0), (10.0, 30.0), (20.0, 40.0)]
    chunks = [_chunk(a, b, _heard(a, b, truth)) for a, b in spans]
    out = stitch(chunks, 40.0)
    assert _keys(out.notes) == _keys(truth)


def test_a_note_held_across_the_seam_is_kept_once_with_its_full_length() -> None:
    held = _n(8.0, 26.0, 36)  # begins before the overlap and rings past the earlier chunk
    truth = [held, _n(12.0, 12.5, 72), _n(17.0, 17.4, 74)]
    chunks = [
        _chunk(0.0, 20.0, _heard(0.0, 20.0, truth)),
        _chunk(10.0, 30.0, _heard(10.0, 30.0, truth)),
    ]
    out = stitch(chunks, 30.0)
    assert [n for n in out.notes if n.pitch_midi == 36] == [held]
    assert _keys(out.notes) == _keys(truth)


def test_a_note_held_across_the_cut_but_ending_in_the_earlier_chunk_keeps_its_end() -> None:
    truth = [_n(11.0, 18.0, 40), _n(21.0, 22.0, 41)]
    chunks = [
        _chunk(0.0, 20.0, _heard(0.0, 20.0, truth)),
        _chunk(10.0, 30.0, _heard(10.0, 30.0, truth)),
    ]
    assert _keys(stitch(chunks, 30.0).notes) == _keys(truth)


def test_a_held_note_the_later_chunk_did_not_hear_keeps_what_the_earlier_heard() -> None:
    earlier = [_n(8.0, 20.0, 36)]
    out = stitch([_chunk(0.0, 20.0, earlier), _chunk(10.0, 30.0, [])], 30.0)
    assert _keys(out.notes) == _keys(earlier)


def test_repeated_notes_of_one_key_near_the_cut_are_each_kept_once() -> None:
    # The key is struck every 100 ms through the middle of the overlap.
    truth = [_n(14.0 + 0.1 * i, 14.08 + 0.1 * i, 67) for i in range(20)]
    chunks = [
        _chunk(0.0, 20.0, _heard(0.0, 20.0, truth)),
        _chunk(10.0, 30.0, _heard(10.0, 30.0, truth)),
    ]
    assert _keys(stitch(chunks, 30.0).notes) == _keys(truth)


def test_chunks_disagreeing_by_a_few_milliseconds_at_the_cut_give_one_note() -> None:
    # Onsets every 50 ms leave the cut no quiet moment; each chunk places them differently.
    truth = [_n(12.0 + 0.05 * i, 12.04 + 0.05 * i, 50 + i % 30) for i in range(120)]
    early = [_n(n.start_s - 0.012, n.end_s, n.pitch_midi) for n in truth]
    late = [_n(n.start_s + 0.015, n.end_s, n.pitch_midi) for n in truth if n.start_s >= 10.0]
    out = stitch([_chunk(0.0, 20.0, early), _chunk(10.0, 30.0, late)], 30.0)
    assert len(out.notes) == len(truth)
    assert sorted(n.pitch_midi for n in out.notes) == sorted(n.pitch_midi for n in truth)


def test_a_note_exactly_at_the_cut_is_kept_once_whichever_side_places_it() -> None:
    cut_s = 15.0
    on_cut = _n(cut_s, 15.5, 60)
    # Both place it on the cut; the later chunk just before it; the earlier just after it.
    for earlier, later in [
        ([on_cut], [on_cut]),
        ([on_cut], [_n(cut_s - 0.01, 15.5)]),
        ([_n(cut_s - 0.01, 15.5)], [on_cut]),
    ]:
        joined = join_notes(earlier, 20.0, later, cut_s)
        assert len(joined) == 1, (earlier, later)


def test_the_cut_falls_where_fewest_notes_sound() -> None:
    # A chord rings 12-16 s; after it the overlap is quiet until 19 s.
    chord = [_n(12.0, 16.0, p) for p in (60, 64, 67)]
    cut_s = choose_cut_s(chord, chord, 10.0, 20.0)
    assert 16.0 <= cut_s <= 17.5


def test_the_cut_keeps_away_from_onsets() -> None:
    notes = [_n(15.0, 15.2, 60)]
    cut_s = choose_cut_s(notes, notes, 10.0, 20.0)
    assert abs(cut_s - 15.0) >= 0.06


def test_pedal_and_beats_are_stitched_like_the_notes() -> None:
    pedal_held = TranscribedPedal(9.0, 24.0)
    beats = tuple(TranscribedBeat(0.5 * i, i % 4 == 0) for i in range(1, 60))
    a = _chunk(
        0.0,
        20.0,
        [],
        (TranscribedPedal(1.0, 4.0), TranscribedPedal(9.0, 20.0)),
        tuple(b for b in beats if b.time_s < 20.0),
    )
    b = _chunk(
        10.0,
        30.0,
        [],
        (TranscribedPedal(10.0, 24.0), TranscribedPedal(25.0, 27.0)),
        tuple(b for b in beats if b.time_s >= 10.0),
    )
    out = stitch([a, b], 30.0)
    assert out.pedals == (TranscribedPedal(1.0, 4.0), pedal_held, TranscribedPedal(25.0, 27.0))
    assert [round(x.time_s, 3) for x in out.beats] == [round(x.time_s, 3) for x in beats]
    assert out.meter == TimeSignature()
