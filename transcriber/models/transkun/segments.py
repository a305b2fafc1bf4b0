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

from transcriber.models.transkun.network_patches import (
    folded_products,
    precision_and_scorer,
    score_only,
)

SegmentCallback = Callable[[int, int, list[Any]], None]
"""Called as ``(segments_done, segments_total, notes)`` with transkun ``Note`` objects:
the settled notes so far after each segment but the last, the final notes after the last."""


@dataclass(frozen=True)
class Layout:
    """How a recording is cut into segments for the network.

    Attributes:
        segment_s: Length of a full segment (the network was trained on 16 s).
        step_s: Distance between segment starts.
        lead_s: Silence added before and after the recording; ``None`` for transkun's
            choice, ``segment_s - step_s``.
        one_short: Give a recording that fits in one full segment after its lead a single
            segment (the rest of it silence), instead of transkun's overlapping ones.
        cover_only: Stop once a segment reaches the end of the padded recording (transkun
            goes on while segments still start inside it, each then mostly silence).
        decode_tail_s: Score and decode a segment's frames only up to this much past the
            recording's end (the network still hears the whole segment); ``None``: all.
        encoder_bf16: Run the network up to the interval scorer in bfloat16 (the scorer
            and the decoder stay in float32), on CPUs with bfloat16 instructions only
            (elsewhere it is emulated, and slower).
        in_place_scores: Build the interval scores in place (the same values as transkun's
            scorer without its full-size temporaries).
        folded_products: Give every matrix product against a weight its input laid out in
            memory, so PyTorch runs one matrix product instead of copying the weight once per
            frame (see ``network_patches.folded_products``).
    """

    segment_s: float
    step_s: float
    lead_s: float | None = None
    one_short: bool = False
    cover_only: bool = False
    decode_tail_s: float | None = None
    encoder_bf16: bool = False
    in_place_scores: bool = False
    folded_products: bool = False


SHIPPED = Layout(segment_s=16.0, step_s=8.0)
"""transkun's own layout: 16 s segments every 8 s, 8 s of silence at both ends."""

FAST = Layout(
    segment_s=16.0,
    step_s=8.0,
    lead_s=8.0,
    one_short=True,
    cover_only=True,
    decode_tail_s=1.0,
    encoder_bf16=True,
    in_place_scores=True,
    folded_products=True,
)
"""What we run: transkun's segments and leads (the network hears what it was trained on),
without the segments it needs no more: a clip of up to 8 s is one segment, the last
segment is the first that reaches the end, frames past 1 s of tail are not scored, the
encoder runs in bfloat16 where the CPU has bfloat16 instructions, the interval scores
are built in place and products against weights run as single matrix products. See "Where
the accurate model's time goes" in transcriber/README.md."""


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
    n_samples: int,
    rate_hz: int,
    hop_samples: int,
    step_s: float,
    segment_s: float,
    layout: Layout | None = None,
) -> SegmentPlan:
    """Plan the segments of a recording of ``n_samples``.

    Without ``layout`` (or with ``SHIPPED``) the segments fall as transkun lays them out;
    ``layout`` overrides ``step_s`` and ``segment_s``.
    """
    if layout is not None:
        step_s, segment_s = layout.step_s, layout.segment_s
    lead_s = segment_s - step_s
    if layout is not None and layout.lead_s is not None:
        lead_s = layout.lead_s
    lead_samples = math.ceil(lead_s * rate_hz)
    padded = n_samples + 2 * lead_samples
    step_samples = math.ceil(step_s * rate_hz / hop_samples) * hop_samples
    segment_samples = math.ceil(segment_s * rate_hz)
    if layout is not None and layout.one_short and n_samples + lead_samples <= segment_samples:
        return SegmentPlan(lead_s, lead_samples, step_samples, segment_samples, (0,))
    starts = range(0, padded, step_samples)
    if layout is not None and layout.cover_only:
        needed = max(math.ceil((padded - segment_samples) / step_samples), 0) + 1
        starts = starts[:needed]
    return SegmentPlan(
        lead_s=lead_s,
        lead_samples=lead_samples,
        step_samples=step_samples,
        segment_samples=segment_samples,
        starts=tuple(starts),
    )


def segment_count(n_samples: int, network: Any, layout: Layout | None = None) -> int:
    """How many segments ``network`` cuts a recording of ``n_samples`` into."""
    return len(
        plan_segments(
            n_samples,
            network.fs,
            network.hopSize,
            network.segmentHopSizeInSecond,
            network.segmentSizeInSecond,
            layout,
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


def cut_segment(signal: torch.Tensor, plan: SegmentPlan, start: int) -> torch.Tensor:
    """One segment of the recording as if it had ``plan.lead_samples`` of silence at each end.

    ``start`` is in the padded signal's samples. Only the segment is copied: padding the
    whole recording first (as transkun does) would hold a second copy of it, 318 MB for 30
    minutes at 44.1 kHz.
    """
    n_samples = signal.shape[-1]
    piece = signal.new_zeros((*signal.shape[:-1], plan.segment_samples))
    first = start - plan.lead_samples  # where the segment starts in the recording
    begin, end = max(first, 0), min(first + plan.segment_samples, n_samples)
    if end > begin:
        piece[..., begin - first : end - first] = signal[..., begin:end]
    return piece


def _scored_frames(
    layout: Layout | None,
    plan: SegmentPlan,
    start: int,
    recording_end: int,
    hop: int,
    rate_hz: int,
) -> int | None:
    """How many leading frames of the segment to score, or ``None`` for all of them."""
    if layout is None or layout.decode_tail_s is None:
        return None
    wanted = recording_end + math.ceil(layout.decode_tail_s * rate_hz) - start
    frames = round(plan.segment_samples / hop) + 1
    needed = math.ceil(wanted / hop) + 1
    return needed if needed < frames else None


def transcribe_segments(
    network: Any,
    samples: torch.Tensor,
    on_segment: SegmentCallback | None = None,
    *,
    step_s: float | None = None,
    segment_s: float | None = None,
    layout: Layout | None = None,
) -> list[Any]:
    """Transcribe ``samples`` (shape ``(n, channels)``) segment by segment.

    Args:
        network: A loaded ``TransKun`` model.
        samples: Audio at ``network.fs``.
        on_segment: Told after each segment (see ``SegmentCallback``); it may raise to stop.
        step_s: Hop between segments; defaults to the network's.
        segment_s: Segment length; defaults to the network's.
        layout: How to cut the recording (overrides ``step_s`` and ``segment_s``);
            transkun's own layout by default.

    Returns:
        transkun ``Note`` objects (pedals included, as negative pitches), sorted by onset.
    """
    make_frame, resolve_overlapping = _helpers()
    if step_s is None or segment_s is None:
        step_s, segment_s = network.segmentHopSizeInSecond, network.segmentSizeInSecond
    rate_hz, hop = network.fs, network.hopSize
    signal = samples.transpose(-1, -2)
    n_samples = signal.shape[-1]
    plan = plan_segments(n_samples, rate_hz, hop, step_s, segment_s, layout)
    n_pitches = len(network.targetMIDIPitch)
    # Each pitch's decoder state starts after the lead-in silence, then carries over.
    forced = [math.floor(plan.lead_s * rate_hz / hop)] * n_pitches
    step_frames = int(plan.step_samples / hop)
    last_frame = round(plan.segment_samples / hop)
    by_pitch: dict[int, list[Any]] = {}
    total = len(plan.starts)
    patches = layout or SHIPPED
    for index, start in enumerate(plan.starts):
        piece = cut_segment(signal, plan, start)
        frames = make_frame(piece, hop, network.windowSize).unsqueeze(0)
        scored = _scored_frames(layout, plan, start, n_samples + plan.lead_samples, hop, rate_hz)
        with (
            score_only(network, scored),
            precision_and_scorer(network, patches.encoder_bf16, patches.in_place_scores),
            folded_products(network, patches.folded_products),
        ):
            decoded, last_positions = network.transcribeFrames(
                frames,
                forcedStartPos=forced,
                velocityCriteron="hamming",
                onsetBound=None,
                lastFrameIdx=last_frame if scored is None else min(last_frame, scored - 1),
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
