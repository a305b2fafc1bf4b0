"""Benchmark the sustain pedal: transkun's spans against the rendered pedal, and their cost.

``bench_pedal`` plays each pedalled piece on the sampled grand in a room and scores the
controller-64 spans of the MIDI the service would answer with (mir_eval, 50 ms onsets). It
also lists how late each press is heard, and the best any single shift of every press
could score on these pieces (chosen on them, so a bound on what a timing correction can
give, not a setting). ``bench_belief_share`` times the press belief the decoder adds.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pretty_midi
import soundfile as sf
import torch

from transcriber.audio.decode import decode_file
from transcriber.defaults import default_options
from transcriber.domain import PedalEvent
from transcriber.evaluation.pedalled import pedalled_set
from transcriber.evaluation.pieces import ScorePedal
from transcriber.evaluation.room import recital_room, record_piece
from transcriber.evaluation.scoring import (
    PedalScores,
    pedal_spans_of_midi,
    score_notes,
    score_pedals,
)
from transcriber.midi import midi_bytes, notes_to_midi
from transcriber.models.transkun.adapter import SUSTAIN_PEDAL, TranskunModel
from transcriber.models.transkun.pedal import begin_marginals, begin_marginals_by_autograd
from transcriber.runtime import Deadline

SHIFTS_S = tuple(step / 100 for step in range(0, 21))
"""Shifts tried for the bound: every press 0-200 ms earlier, in 10 ms steps."""


@dataclass(frozen=True)
class PedalRow:
    """How transkun heard one pedalled piece: pedal spans written and found, and F1s."""

    piece: str
    pedals: int
    found: int
    pedal: PedalScores
    note_onset_f1: float
    press_lag_s: float
    """Median of how late each found press is after the nearest written one (negative: early)."""
    press_errors_s: tuple[float, ...]
    """For each written press, the nearest found press minus it (negative: early)."""
    written: tuple[ScorePedal, ...]
    found_spans: tuple[PedalEvent, ...]


def bench_pedal(work: Path, model: TranskunModel | None = None) -> list[PedalRow]:
    """Pedal F1 of transkun on the pedalled pieces, played on the sampled grand in a room.

    The spans scored are those of controller 64 in the MIDI the service would answer with,
    against the pedal the recording was rendered with.
    """
    model = model or TranskunModel()
    rows: list[PedalRow] = []
    for index, piece in enumerate(pedalled_set()):
        wav = record_piece(
            piece.notes, recital_room(index), work / f"{piece.name}.wav", pedals=piece.pedals
        )
        rec = decode_file(wav, model.sample_rate_hz, 1e9, work, None)
        found = model.transcribe(rec.samples, default_options(model.name), Deadline.unlimited())
        written = notes_to_midi(found.notes, pedals=found.pedals)
        exported = pretty_midi.PrettyMIDI(io.BytesIO(midi_bytes(written)))
        spans = pedal_spans_of_midi(exported)
        written_s = np.array([p.start_s for p in piece.pedals])
        lags = [p.start_s - written_s[np.argmin(np.abs(written_s - p.start_s))] for p in spans]
        rows.append(
            PedalRow(
                piece=piece.name,
                pedals=len(piece.pedals),
                found=len(found.pedals),
                pedal=score_pedals(piece.pedals, spans),
                note_onset_f1=score_notes(piece.notes, found.notes).onset_f1,
                press_lag_s=float(np.median(lags)) if lags else float("nan"),
                press_errors_s=_press_errors(piece.pedals, spans),
                written=tuple(piece.pedals),
                found_spans=tuple(spans),
            )
        )
    return rows


def _press_errors(written: tuple[ScorePedal, ...], found: list[PedalEvent]) -> tuple[float, ...]:
    if not found:
        return ()
    presses = np.array([p.start_s for p in found])
    return tuple(
        float(presses[np.argmin(np.abs(presses - w.start_s))] - w.start_s) for w in written
    )


def shifted_presses(spans: tuple[PedalEvent, ...], shift_s: float) -> list[PedalEvent]:
    """``spans`` with every press ``shift_s`` earlier, never before the previous lift.

    A span pressed from the recording's very start keeps its press (nothing is earlier).
    """
    out: list[PedalEvent] = []
    previous_end_s = 0.0
    for span in spans:
        start_s = span.start_s if span.start_s <= 0 else max(previous_end_s, span.start_s - shift_s)
        out.append(PedalEvent(start_s=start_s, end_s=span.end_s))
        previous_end_s = span.end_s
    return out


def _mean_onset_f1(rows: list[PedalRow], shift_s: float) -> float:
    """Mean pedal onset F1 over ``rows`` with every found press ``shift_s`` earlier."""
    scores = [score_pedals(r.written, shifted_presses(r.found_spans, shift_s)) for r in rows]
    return float(np.mean([score.onset_f1 for score in scores]))


def best_shift(rows: list[PedalRow]) -> tuple[float, float]:
    """The one press shift that scores best on ``rows`` (mean onset F1), and that F1.

    Ties go to the smallest shift.
    """
    f1, shift = max(((_mean_onset_f1(rows, s), s) for s in SHIFTS_S), key=lambda x: (x[0], -x[1]))
    return shift, f1


def print_pedal(rows: list[PedalRow]) -> None:
    """Print each piece's pedal scores and press timing, the means, and the shift bound."""
    for row in rows:
        print(
            f"transkun pedal on {row.piece}: {row.found} spans for {row.pedals}, "
            f"onset F1 {row.pedal.onset_f1:.3f}, "
            f"onset+offset F1 {row.pedal.onset_offset_f1:.3f}, "
            f"presses heard {row.press_lag_s * 1000:+.0f} ms (median) "
            f"(note onset F1 {row.note_onset_f1:.3f})"
        )
        errors = " ".join(f"{e * 1000:+.0f}" for e in row.press_errors_s)
        print(f"  each written press, the nearest found one (ms): {errors}")
    onset = np.mean([r.pedal.onset_f1 for r in rows])
    full = np.mean([r.pedal.onset_offset_f1 for r in rows])
    print(f"transkun pedal, mean: onset F1 {onset:.3f}, onset+offset F1 {full:.3f}")
    shift, f1 = best_shift(rows)
    print(
        f"best single shift of every press on these pieces: {shift * 1000:.0f} ms earlier, "
        f"mean onset F1 {f1:.3f} (a bound chosen on the pieces scored)"
    )


BELIEF_CLIP_S = 30.0


@dataclass(frozen=True)
class BeliefShare:
    """What the sustain-pedal press belief costs transkun on one pedalled recording.

    Attributes:
        clip_s: Length of the recording.
        segments: Segments the network ran (one belief each).
        model_s: Transkun's time for the recording as it runs (its belief included).
        direct_s: The belief by the direct pass, summed over the segments.
        autograd_s: The belief by autograd (as before), on the same scores.
        largest_difference: Largest difference between the two beliefs at any frame.
    """

    clip_s: float
    segments: int
    model_s: float
    direct_s: float
    autograd_s: float
    largest_difference: float

    @property
    def direct_share(self) -> float:
        """Share of the model's time the direct pass takes."""
        return self.direct_s / self.model_s

    @property
    def autograd_share(self) -> float:
        """Share the autograd belief would take of the model's time with it instead."""
        return self.autograd_s / (self.model_s - self.direct_s + self.autograd_s)


def _pedalled_recording(work: Path, seconds: float) -> Path:
    """The first pedalled pieces, each in its room, played one after the other, cut to length."""
    parts = []
    for index, piece in enumerate(pedalled_set()):
        wav = record_piece(
            piece.notes, recital_room(index), work / f"belief-{piece.name}.wav", pedals=piece.pedals
        )
        parts.append(sf.read(str(wav), dtype="float32")[0])
        if sum(len(p) for p in parts) >= seconds * 44100:
            break
    path = work / "belief.wav"
    sf.write(path, np.concatenate(parts)[: int(seconds * 44100)], 44100)
    return path


def bench_belief_share(
    work: Path, model: TranskunModel | None = None, threads: int = 2
) -> BeliefShare:
    """Time the press belief both ways on every segment of one transcription of 30 s.

    A second hook on the scorer sees the same scores as the model's own; its time is taken
    out of the model's, so both shares come from the same run and the same network outputs.
    """
    torch.set_num_threads(threads)
    model = model or TranskunModel()
    rec = decode_file(
        _pedalled_recording(work, BELIEF_CLIP_S), model.sample_rate_hz, 1e9, work, None
    )
    track = list(model.network.targetMIDIPitch).index(SUSTAIN_PEDAL)
    direct: list[float] = []
    autograd: list[float] = []
    differences: list[float] = []
    hook_s = [0.0]

    def compare(module: torch.nn.Module, args: object, output: tuple[torch.Tensor, ...]) -> None:
        entered = time.perf_counter()
        score, noise = output[0][:, :, 0, track], output[1][:, 0, track]
        started = time.perf_counter()
        fast = begin_marginals(score, noise)
        direct.append(time.perf_counter() - started)
        started = time.perf_counter()
        slow = begin_marginals_by_autograd(score, noise)
        autograd.append(time.perf_counter() - started)
        differences.append(float(np.abs(fast - slow).max()))
        hook_s[0] += time.perf_counter() - entered

    model.warm_up()
    handle = model.network.scorer.register_forward_hook(compare)
    try:
        started = time.perf_counter()
        model.transcribe(rec.samples, default_options(model.name), Deadline.unlimited())
        model_s = time.perf_counter() - started - hook_s[0]
    finally:
        handle.remove()
    return BeliefShare(
        clip_s=rec.duration_s,
        segments=len(direct),
        model_s=model_s,
        direct_s=sum(direct),
        autograd_s=sum(autograd),
        largest_difference=max(differences),
    )


def print_belief(share: BeliefShare) -> None:
    """Print what the press belief costs, both ways."""
    print(
        f"transkun press belief on a {share.clip_s:.1f} s pedalled recording "
        f"({share.segments} segments): direct pass {share.direct_s:.2f} s, "
        f"{share.direct_share:.1%} of the model's {share.model_s:.1f} s; by autograd (before) "
        f"{share.autograd_s:.1f} s, {share.autograd_share:.1%}; "
        f"largest difference {share.largest_difference:.1e}"
    )
