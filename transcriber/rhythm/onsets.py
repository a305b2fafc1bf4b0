"""Onset strength of a performance, read from its transcribed notes.

Notes struck together (a chord, a hand's spread) make one onset event; its strength grows
with how many keys, how hard and how low they were struck, compressed so a thick chord does
not drown a melody note. The envelope is a row of frames with a narrow bump per event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from transcriber.domain import NoteEvent

FRAME_RATE_HZ = 100
"""Frames per second of the envelope: 10 ms, well inside a 70 ms beat tolerance."""
CHORD_SPREAD_S = 0.035
"""Onsets closer than this belong to one event (a chord is rarely struck exactly together)."""
_BUMP_SIGMA_FRAMES = 2.0
BASS_TOP_PITCH = 64
"""Keys below E4 count more the lower they are: bass notes mark beats and bars."""
_BASS_SPAN = 24.0
LONG_NOTE_S = 1.0
"""Notes held this long or longer count fully; shorter ones by the root of their share."""


@dataclass(frozen=True)
class OnsetEvent:
    """Keys struck together.

    Attributes:
        time_s: The earliest onset of the group.
        strength: Compressed, velocity- and bass-weighted loudness, relative to the median.
    """

    time_s: float
    strength: float


def bass_weight(pitch_midi: int) -> float:
    """0 at and above E4, rising to 1 two octaves below."""
    return float(np.clip((BASS_TOP_PITCH - pitch_midi) / _BASS_SPAN, 0.0, 1.0))


def note_weight(note: NoteEvent) -> float:
    """How much a note marks the pulse: louder, lower and longer notes more."""
    held_s = min(max(note.end_s - note.start_s, 0.0), LONG_NOTE_S)
    length = np.sqrt(held_s / LONG_NOTE_S)
    return float(note.velocity / 127.0 * (1.0 + 0.5 * bass_weight(note.pitch_midi)) * length)


def onset_events(notes: Sequence[NoteEvent]) -> list[OnsetEvent]:
    """Group notes struck together into events, strengths normalised to a median of 1."""
    ordered = sorted(notes, key=lambda n: n.start_s)
    groups: list[list[NoteEvent]] = []
    for note in ordered:
        if groups and note.start_s - groups[-1][0].start_s <= CHORD_SPREAD_S:
            groups[-1].append(note)
        else:
            groups.append([note])
    if not groups:
        return []
    raw = np.array([np.sqrt(sum(note_weight(n) for n in g)) for g in groups])
    raw /= max(float(np.median(raw)), 1e-9)
    return [OnsetEvent(g[0].start_s, float(s)) for g, s in zip(groups, raw, strict=True)]


def envelope(events: Sequence[OnsetEvent], frames: int) -> np.ndarray:
    """The events as a row of ``frames`` values: a Gaussian bump of the event's height each."""
    out = np.zeros(frames, dtype=np.float64)
    radius = int(np.ceil(3 * _BUMP_SIGMA_FRAMES))
    offsets = np.arange(-radius, radius + 1)
    bump = np.exp(-0.5 * (offsets / _BUMP_SIGMA_FRAMES) ** 2)
    for event in events:
        centre = int(round(event.time_s * FRAME_RATE_HZ))
        idx = centre + offsets
        keep = (idx >= 0) & (idx < frames)
        out[idx[keep]] = np.maximum(out[idx[keep]], event.strength * bump[keep])
    return out


SNAP_S = 0.04
"""Beats are moved onto an onset this close: the envelope's frames are coarser than notes."""


def snap_to_onsets(beats_s: Sequence[float], events: Sequence[OnsetEvent]) -> list[float]:
    """Each beat moved onto the strongest onset event within `SNAP_S`, else left where it is."""
    onsets = np.array([e.time_s for e in events])
    strengths = np.array([e.strength for e in events])
    snapped = []
    for t in beats_s:
        near = np.flatnonzero(np.abs(onsets - t) <= SNAP_S)
        if len(near) == 0:
            snapped.append(float(t))
            continue
        snapped.append(float(onsets[near[np.argmax(strengths[near])]]))
    return snapped
