"""Our segment loop around transkun's per-segment decoder, reporting each segment as it ends.

``TransKun.transcribe`` cuts the recording into overlapping segments, decodes each with
``transcribeFrames`` (forcing each pitch's state to carry over from the previous segment) and
merges notes that straddle segment borders. It returns only at the very end, so this module
runs the same steps itself and hands the caller the notes that can no longer change after
every segment. The final notes are the same as ``transcribe``'s (a test holds us to that).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

SegmentCallback = Callable[[int, int, list[Any]], None]
"""Called as ``(segments_done, segments_total, notes)`` with transkun ``Note`` objects:
the settled notes so far after each segment but the last, the final notes after the last."""


@dataclass(frozen=True)
class SegmentPlan:
    """Where the segments fall in the padded signal.

    Attributes:
        lead_s: Silence added before (and after) the recording, in seconds.
        lead_samples: The same in samples.
        step_samples: Distance between segment starts, a whole number of frames.
        segment_samples: Length of one segment.
        starts: Start of each segment in the padded signal, in samples.
    """

    lead_s: float
    lead_samples: int
    step_samples: int
    segment_samples: int
    starts: tuple[int, ...]


def plan_segments(
    n_samples: int, rate_hz: int, hop_samples: int, step_s: float, segment_s: float
) -> SegmentPlan:
    """Plan the segments of a recording of ``n_samples`` as transkun lays them out."""
    lead_s = segment_s - step_s
    lead_samples = math.ceil(lead_s * rate_hz)
    padded = n_samples + 2 * lead_samples
    step_samples = math.ceil(step_s * rate_hz / hop_samples) * hop_samples
    segment_samples = math.ceil(segment_s * rate_hz)
    return SegmentPlan(
        lead_s=lead_s,
        lead_samples=lead_samples,
        step_samples=step_samples,
        segment_samples=segment_samples,
        starts=tuple(range(0, padded, step_samples)),
    )


def segment_count(n_samples: int, network: Any) -> int:
    """How many segments ``network`` cuts a recording of ``n_samples`` into (its defaults)."""
    return len(
        plan_segments(
            n_samples,
            network.fs,
            network.hopSize,
            network.segmentHopSizeInSecond,
            network.segmentSizeInSecond,
        ).starts
    )


def _helpers() -> tuple[Callable[..., Any], Callable[..., Any]]:
    """Transkun's frame cutter and overlap resolver (imported late: transkun loads slowly)."""
    from transkun.Data import resolveOverlapping
    from transkun.Util import makeFrame

    return makeFrame, resolveOverlapping


def _settled(by_pitch: dict[int, list[Any]], next_begin_s: float) -> list[Any]:
    """Notes no later segment can change: a pitch's last note only once it ended earlier.

    A later segment's notes start at or after its begin time, and only a note overlapping a
    pitch's last note replaces it or extends it; the notes before the last are final.
    """
    out: list[Any] = []
    for notes in by_pitch.values():
        for k, note in enumerate(notes):
            last = k == len(notes) - 1
            if note.hasOffset and (not last or note.end < next_begin_s):
                out.append(note)
    return sorted(out, key=lambda n: (n.start, n.end, n.pitch))


def _merge(by_pitch: dict[int, list[Any]], segment_notes: list[Any]) -> None:
    """Add one segment's notes; a note running on from the previous segment is joined."""
    for note in segment_notes:
        notes = by_pitch.setdefault(note.pitch, [])
        if notes and note.start < notes[-1].end:
            previous = notes[-1]
            if note.hasOnset:
                notes[-1] = note  # a fresh onset here wins over the earlier, cut-off guess
            else:
                previous.hasOffset = note.hasOffset
                previous.end = max(note.end, previous.end)
            continue
        if note.hasOnset:
            notes.append(note)


def transcribe_segments(
    network: Any,
    samples: torch.Tensor,
    on_segment: SegmentCallback | None = None,
    *,
    step_s: float | None = None,
    segment_s: float | None = None,
) -> list[Any]:
    """Transcribe ``samples`` (shape ``(n, channels)``) segment by segment.

    Args:
        network: A loaded ``TransKun`` model.
        samples: Audio at ``network.fs``.
        on_segment: Told after each segment (see ``SegmentCallback``); it may raise to stop.
        step_s: Hop between segments; defaults to the network's.
        segment_s: Segment length; defaults to the network's.

    Returns:
        transkun ``Note`` objects (pedals included, as negative pitches), sorted by onset.
    """
    make_frame, resolve_overlapping = _helpers()
    if step_s is None or segment_s is None:
        step_s, segment_s = network.segmentHopSizeInSecond, network.segmentSizeInSecond
    rate_hz, hop = network.fs, network.hopSize
    signal = samples.transpose(-1, -2)
    plan = plan_segments(signal.shape[-1], rate_hz, hop, step_s, segment_s)
    signal = F.pad(signal, (plan.lead_samples, plan.lead_samples))
    n_pitches = len(network.targetMIDIPitch)
    # Each pitch's decoder state starts after the lead-in silence, then carries over.
    forced = [math.floor(plan.lead_s * rate_hz / hop)] * n_pitches
    step_frames = int(plan.step_samples / hop)
    last_frame = round(plan.segment_samples / hop)
    by_pitch: dict[int, list[Any]] = {}
    total = len(plan.starts)
    for index, start in enumerate(plan.starts):
        piece = signal[:, start : min(start + plan.segment_samples, signal.shape[-1])]
        if piece.shape[-1] < plan.segment_samples:
            piece = F.pad(piece, (0, plan.segment_samples - piece.shape[-1]))
        frames = make_frame(piece, hop, network.windowSize)
        decoded, last_positions = network.transcribeFrames(
            frames.unsqueeze(0),
            forcedStartPos=forced,
            velocityCriteron="hamming",
            onsetBound=None,
            lastFrameIdx=last_frame,
        )
        forced = [max(p - step_frames, 0) for p in last_positions]
        begin_s = start / rate_hz - plan.lead_s
        for note in decoded[0]:
            note.start += begin_s
            note.end += begin_s
            note.start = max(note.start, 0)
            note.end = max(note.end, note.start)
        _merge(by_pitch, decoded[0])
        if on_segment is not None and index + 1 < total:
            next_begin_s = plan.starts[index + 1] / rate_hz - plan.lead_s
            on_segment(index + 1, total, _settled(by_pitch, next_begin_s))
    for notes in by_pitch.values():
        if notes:
            notes[-1].hasOffset = True  # whatever still sounds at the end stops there
    final: list[Any] = resolve_overlapping(
        [n for notes in by_pitch.values() for n in notes if n.hasOffset]
    )
    if on_segment is not None:
        on_segment(total, total, final)
    return final
