"""Beats, downbeats and metre of a performance, heard through its transcribed notes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from transcriber.domain import Beat, Meter, NoteEvent, Rhythm
from transcriber.rhythm.beats import frames_to_seconds, track_beats
from transcriber.rhythm.meter import beat_accents, read_bars
from transcriber.rhythm.onsets import FRAME_RATE_HZ, envelope, onset_events, snap_to_onsets
from transcriber.rhythm.tempo import beat_period_frames

MIN_ONSET_EVENTS = 8
"""Fewer separate onsets than this cannot show a pulse."""
MIN_BARS = 2
"""A metre needs at least this many bars of beats to be heard."""
QUARTER = 4


def track_rhythm(notes: Sequence[NoteEvent]) -> Rhythm:
    """Beats following the performance's tempo, which of them open bars, and the metre.

    Args:
        notes: The transcribed notes, in any order.

    Returns:
        The beats in time order and the metre (beats counted in quarters), or no beats and no
        metre when there are too few notes to tell.
    """
    events = onset_events(notes)
    if len(events) < MIN_ONSET_EVENTS:
        return Rhythm.unknown()
    frames = int(np.ceil(events[-1].time_s * FRAME_RATE_HZ)) + FRAME_RATE_HZ
    onset_envelope = envelope(events, frames)
    period = beat_period_frames(onset_envelope)
    beats_s = snap_to_onsets(frames_to_seconds(track_beats(onset_envelope, period)), events)
    if len(beats_s) < MIN_BARS * 4:
        return Rhythm.unknown()
    bars = read_bars(beat_accents(beats_s, list(notes)))
    beats = [
        Beat(time_s=t, downbeat=(i - bars.first_downbeat) % bars.beats_per_bar == 0)
        for i, t in enumerate(beats_s)
    ]
    return Rhythm(beats=beats, meter=Meter(bars.beats_per_bar, QUARTER))
