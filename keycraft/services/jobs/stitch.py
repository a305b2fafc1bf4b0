"""Join the transcriptions of overlapping chunks into one, with each note once.

At every seam a cut point is chosen inside the overlap, at a moment where the fewest notes
sound and no onset is close. A note (or pedal span, or beat) is taken from the earlier
chunk when it starts before the cut and from the later one otherwise. A note the earlier
chunk heard begin but whose audio ended while it still sounded takes its end from the later
chunk, which hears it ring on: it is kept once, with its full length.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from keycraft.services.transcription.client import (
    TranscribedBeat,
    TranscribedNote,
    TranscribedPedal,
    Transcription,
)

CUT_STEP_S = 0.01
"""Resolution of the cut point search."""
EDGE_MARGIN_S = 2.5
"""The cut stays this far inside the overlap: each chunk keeps context beyond the cut."""
ONSET_GUARD_S = 0.06
"""A cut this close to an onset is avoided: the two chunks may place that onset on
different sides of it (they disagree by a few tens of milliseconds)."""
SAME_ONSET_S = 0.05
"""Two notes of one pitch this close, one from each chunk, are one note (mir_eval's onset
tolerance); a piano key cannot be struck again that fast."""
RINGING_AT_END_S = 0.25
"""A note ending this close to its chunk's end was still sounding when the audio stopped
(a model may end a note a few frames before the audio does)."""


@dataclass(frozen=True, slots=True)
class ChunkTranscription:
    """One chunk's transcription, its times in the chunk's own audio.

    Attributes:
        start_s: Where the chunk's audio starts in the recording.
        end_s: Where it ends in the recording.
        transcription: What the transcriber heard in it.
    """

    start_s: float
    end_s: float
    transcription: Transcription


def _shift_notes(items: Sequence[TranscribedNote], by_s: float) -> list[TranscribedNote]:
    return [replace(n, start_s=n.start_s + by_s, end_s=n.end_s + by_s) for n in items]


def _shift_pedals(items: Sequence[TranscribedPedal], by_s: float) -> list[TranscribedPedal]:
    return [replace(p, start_s=p.start_s + by_s, end_s=p.end_s + by_s) for p in items]


def _sounding_count(notes: Sequence[TranscribedNote], t: float) -> int:
    return sum(1 for n in notes if n.start_s < t < n.end_s)


def choose_cut_s(
    earlier: Sequence[TranscribedNote],
    later: Sequence[TranscribedNote],
    overlap_start_s: float,
    overlap_end_s: float,
) -> float:
    """The seam's cut: fewest notes sounding (as either chunk hears them), no onset near.

    Ties go to the moment nearest the overlap's middle. Times are in the recording.
    """
    middle_s = (overlap_start_s + overlap_end_s) / 2
    margin_s = min(EDGE_MARGIN_S, (overlap_end_s - overlap_start_s) / 4)
    low_s, high_s = overlap_start_s + margin_s, overlap_end_s - margin_s
    near = [n for n in (*earlier, *later) if n.end_s > low_s and n.start_s < high_s]
    onsets = [n.start_s for n in near]
    best: tuple[int, int, float] | None = None
    best_s = middle_s
    steps = max(0, math.floor((high_s - low_s) / CUT_STEP_S))
    for i in range(steps + 1):
        t = low_s + i * CUT_STEP_S
        onset_close = any(abs(t - o) < ONSET_GUARD_S for o in onsets)
        key = (int(onset_close), _sounding_count(near, t), abs(t - middle_s))
        if best is None or key < best:
            best, best_s = key, t
    return best_s


def _has_twin(notes: Sequence[TranscribedNote], note: TranscribedNote) -> bool:
    return any(
        n.pitch_midi == note.pitch_midi and abs(n.start_s - note.start_s) < SAME_ONSET_S
        for n in notes
    )


def join_notes(
    earlier: Sequence[TranscribedNote],
    earlier_end_s: float,
    later: Sequence[TranscribedNote],
    cut_s: float,
) -> list[TranscribedNote]:
    """The earlier chunk's notes before ``cut_s`` and the later chunk's from it on.

    A kept note still ringing when the earlier chunk's audio ended takes its end from the
    later chunk's note of that pitch sounding across the cut. A note both chunks placed
    within ``SAME_ONSET_S`` of the cut, on either side of it, is kept once.
    """
    kept = sorted((n for n in earlier if n.start_s < cut_s), key=lambda n: n.start_s)
    crossing = {n.pitch_midi: n for n in later if n.start_s < cut_s < n.end_s}
    last_of_pitch = {n.pitch_midi: i for i, n in enumerate(kept)}  # the latest onset wins
    for pitch, i in last_of_pitch.items():
        note, heard_after = kept[i], crossing.get(pitch)
        rings_on = note.end_s >= earlier_end_s - RINGING_AT_END_S
        if rings_on and heard_after is not None and heard_after.end_s > note.end_s:
            kept[i] = replace(note, end_s=heard_after.end_s)
    near_cut = [n for n in kept if n.start_s > cut_s - 2 * SAME_ONSET_S]
    joined = list(kept)
    for n in later:
        if n.start_s < cut_s:
            continue
        if n.start_s - cut_s < SAME_ONSET_S and _has_twin(near_cut, n):
            continue  # the earlier chunk's copy of this very note stands
        joined.append(n)
        if n.start_s - cut_s < 2 * SAME_ONSET_S:
            near_cut.append(n)
    # The earlier chunk placed it just after the cut and the later one just before: keep it.
    for n in earlier:
        if cut_s <= n.start_s < cut_s + SAME_ONSET_S and not _has_twin(near_cut, n):
            joined.append(n)
            near_cut.append(n)
    return joined


def _join_pedals(
    kept: list[TranscribedPedal],
    earlier_end_s: float,
    later: Sequence[TranscribedPedal],
    cut_s: float,
) -> list[TranscribedPedal]:
    out = list(kept)
    crossing = [p for p in later if p.start_s < cut_s < p.end_s]
    if out and crossing and out[-1].end_s >= earlier_end_s - RINGING_AT_END_S:
        out[-1] = replace(out[-1], end_s=max(out[-1].end_s, crossing[0].end_s))
    out.extend(p for p in later if p.start_s >= cut_s)
    return out


def _join_beats(
    kept: list[TranscribedBeat], later: Sequence[TranscribedBeat], cut_s: float
) -> list[TranscribedBeat]:
    last_s = kept[-1].time_s if kept else -math.inf
    return kept + [b for b in later if b.time_s >= cut_s and b.time_s - last_s >= SAME_ONSET_S]


def stitch(chunks: Sequence[ChunkTranscription], duration_s: float) -> Transcription:
    """One transcription of the whole recording from its chunks' (in recording order).

    Args:
        chunks: Every chunk's transcription; neighbours overlap.
        duration_s: The recording's length.

    Raises:
        ValueError: No chunks.
    """
    if not chunks:
        raise ValueError("nothing to stitch")
    first = chunks[0]
    notes = _shift_notes(first.transcription.notes, first.start_s)
    pedals = _shift_pedals(first.transcription.pedals, first.start_s)
    beats = [replace(b, time_s=b.time_s + first.start_s) for b in first.transcription.beats]
    meter = first.transcription.meter
    earlier = first
    for chunk in chunks[1:]:
        later_notes = _shift_notes(chunk.transcription.notes, chunk.start_s)
        earlier_tail = [n for n in notes if n.end_s > chunk.start_s]
        cut_s = choose_cut_s(earlier_tail, later_notes, chunk.start_s, earlier.end_s)
        notes = join_notes(notes, earlier.end_s, later_notes, cut_s)
        pedals = _join_pedals(
            [p for p in pedals if p.start_s < cut_s],
            earlier.end_s,
            _shift_pedals(chunk.transcription.pedals, chunk.start_s),
            cut_s,
        )
        later_beats = [
            replace(b, time_s=b.time_s + chunk.start_s) for b in chunk.transcription.beats
        ]
        beats = _join_beats([b for b in beats if b.time_s < cut_s], later_beats, cut_s)
        meter = meter or chunk.transcription.meter
        earlier = chunk
    return Transcription(
        model=first.transcription.model,
        duration_s=duration_s,
        processing_s=sum(c.transcription.processing_s for c in chunks),
        notes=tuple(sorted(notes, key=lambda n: (n.start_s, n.pitch_midi))),
        pedals=tuple(sorted(pedals, key=lambda p: p.start_s)),
        beats=tuple(beats),
        meter=meter,
    )
