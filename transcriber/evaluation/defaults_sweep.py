"""Sweep each model's knobs on the recital set and print accuracy and speed per setting.

Run `python -m transcriber.evaluation.defaults_sweep` (needs the Salamander samples from
`scripts/test-setup.sh`). Each network runs once per recording; every setting is then
applied to its output (Basic Pitch: decoding of the posteriorgrams; transkun: the
length/frequency filter on its notes), so the sweep costs about one transkun pass.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from transcriber.audio.decode import decode_file
from transcriber.defaults import default_options
from transcriber.domain import MODEL_BASIC_PITCH, MODEL_TRANSKUN, NoteEvent, TranscriptionOptions
from transcriber.evaluation.pieces import Piece
from transcriber.evaluation.recital import recital_set
from transcriber.evaluation.room import recital_room, record_piece
from transcriber.evaluation.sampled_piano import load_bank
from transcriber.evaluation.scoring import NoteScores, score_notes
from transcriber.runtime import Deadline, apply_thread_cap

BASIC_PITCH_GRID = {
    "min_note_ms": (10.0, 30.0, 60.0, 90.0, 127.7),
    "onset_threshold": (0.4, 0.5, 0.6, 0.7, 0.8),
    "frame_threshold": (0.3, 0.4, 0.5, 0.6),
}
TRANSKUN_MIN_NOTE_MS = (1.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 90.0, 127.7)


@dataclass(frozen=True)
class Recording:
    """A recital piece recorded in its room."""

    piece: Piece
    wav_path: Path


@dataclass(frozen=True)
class SettingResult:
    """Mean scores of one model setting over the set.

    Attributes:
        model: Model name.
        options: The knobs tried.
        onset_f1: Mean onset F1 over pieces.
        onset_offset_f1: Mean onset+offset F1 over pieces.
        rtf: Processing time over audio time, network and decoding together.
        per_piece: Onset F1 of each piece, in set order.
    """

    model: str
    options: TranscriptionOptions
    onset_f1: float
    onset_offset_f1: float
    rtf: float
    per_piece: tuple[float, ...]


def record_set(folder: Path, limit: int | None = None) -> list[Recording]:
    """Render the recital set, each piece in its own room, as WAV files in `folder`."""
    bank = load_bank()
    pieces = recital_set()[:limit]
    return [
        Recording(p, record_piece(p.notes, recital_room(i), folder / f"{p.name}.wav", bank))
        for i, p in enumerate(pieces)
    ]


def _summarise(
    model: str,
    options: TranscriptionOptions,
    scores: Sequence[NoteScores],
    seconds: float,
    audio_s: float,
) -> SettingResult:
    return SettingResult(
        model=model,
        options=options,
        onset_f1=sum(s.onset_f1 for s in scores) / len(scores),
        onset_offset_f1=sum(s.onset_offset_f1 for s in scores) / len(scores),
        rtf=seconds / audio_s,
        per_piece=tuple(s.onset_f1 for s in scores),
    )


def sweep_basic_pitch(recordings: Sequence[Recording], work: Path) -> list[SettingResult]:
    """Every Basic Pitch setting of the grid on every recording."""
    from transcriber.models.basic_pitch.adapter import BasicPitchModel

    model = BasicPitchModel()
    model.warm_up()
    activations, network_s, audio_s = [], 0.0, 0.0
    for r in recordings:
        rec = decode_file(r.wav_path, model.sample_rate_hz, 3600, work, None)
        started = time.perf_counter()
        activations.append(model.activations(rec.samples, with_contour=False))
        network_s += time.perf_counter() - started
        audio_s += rec.duration_s
    results = []
    grid = BASIC_PITCH_GRID
    for min_note_ms, onset, frame in itertools.product(
        grid["min_note_ms"], grid["onset_threshold"], grid["frame_threshold"]
    ):
        options = TranscriptionOptions(
            onset_threshold=onset, frame_threshold=frame, min_note_ms=min_note_ms
        )
        started = time.perf_counter()
        found = [model.notes_from_activations(a, options) for a in activations]
        decode_s = time.perf_counter() - started
        scores = [score_notes(r.piece.notes, n) for r, n in zip(recordings, found, strict=True)]
        seconds = network_s + decode_s
        results.append(_summarise(MODEL_BASIC_PITCH, options, scores, seconds, audio_s))
    return results


def sweep_transkun(recordings: Sequence[Recording], work: Path) -> list[SettingResult]:
    """Run transkun once per recording, then each minimum note length on its notes."""
    from transcriber.models.transkun.adapter import TranskunModel, keep_notes

    model = TranskunModel()
    model.warm_up()
    raw: list[list[NoteEvent]] = []
    network_s, audio_s = 0.0, 0.0
    for r in recordings:
        rec = decode_file(r.wav_path, model.sample_rate_hz, 3600, work, None)
        started = time.perf_counter()
        raw.append(model.raw_notes(rec.samples, Deadline.unlimited()))
        network_s += time.perf_counter() - started
        audio_s += rec.duration_s
        print(f"  transkun: {r.piece.name} done ({network_s / audio_s:.2f} RTF so far)", flush=True)
    results = []
    for min_note_ms in TRANSKUN_MIN_NOTE_MS:
        options = TranscriptionOptions(min_note_ms=min_note_ms)
        found = [keep_notes(notes, options) for notes in raw]
        scores = [score_notes(r.piece.notes, n) for r, n in zip(recordings, found, strict=True)]
        results.append(_summarise(MODEL_TRANSKUN, options, scores, network_s, audio_s))
    return results


def _is_default(result: SettingResult) -> bool:
    d, o = default_options(result.model), result.options
    if result.model == MODEL_TRANSKUN:
        return o.min_note_ms == d.min_note_ms
    return (o.min_note_ms, o.onset_threshold, o.frame_threshold) == (
        d.min_note_ms,
        d.onset_threshold,
        d.frame_threshold,
    )


def _cell(result: SettingResult) -> str:
    text = f"{result.onset_f1:.3f} / {result.onset_offset_f1:.3f}"
    return f"**{text}**" if _is_default(result) else text


def format_table(results: Sequence[SettingResult]) -> str:
    """Markdown tables: onset F1 / onset+offset F1 per setting (the default in bold), RTF."""
    lines = []
    fast = {
        (r.options.min_note_ms, r.options.onset_threshold, r.options.frame_threshold): r
        for r in results
        if r.model == MODEL_BASIC_PITCH
    }
    if fast:
        frames = BASIC_PITCH_GRID["frame_threshold"]
        rtf = next(iter(fast.values())).rtf
        lines += [
            f"basic-pitch (RTF {rtf:.3f}): onset F1 / onset+offset F1",
            "",
            "| min note ms | onset thr | " + " | ".join(f"frame {f:g}" for f in frames) + " |",
            "|---:|---:|" + "---|" * len(frames),
        ]
        for min_note_ms in BASIC_PITCH_GRID["min_note_ms"]:
            for onset in BASIC_PITCH_GRID["onset_threshold"]:
                cells = " | ".join(_cell(fast[(min_note_ms, onset, f)]) for f in frames)
                lines.append(f"| {min_note_ms:g} | {onset:g} | {cells} |")
        lines.append("")
    piano = [r for r in results if r.model == MODEL_TRANSKUN]
    if piano:
        lines += [
            f"transkun (RTF {piano[0].rtf:.3f}; thresholds and bends do not apply)",
            "",
            "| min note ms | onset F1 / onset+offset F1 |",
            "|---:|---|",
        ]
        lines += [f"| {r.options.min_note_ms:g} | {_cell(r)} |" for r in piano]
    return "\n".join(lines)


def format_pieces(results: Sequence[SettingResult], recordings: Sequence[Recording]) -> str:
    """Onset F1 per piece for each model's default setting."""
    defaults = [r for r in results if _is_default(r)]
    header = "| piece | " + " | ".join(f"{r.model} (default)" for r in defaults) + " |"
    lines = [header, "|---|" + "---:|" * len(defaults)]
    for i, rec in enumerate(recordings):
        cells = " | ".join(f"{r.per_piece[i]:.3f}" for r in defaults)
        lines.append(f"| {rec.piece.name} ({rec.piece.duration_s:.1f} s) | {cells} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Render the set, sweep the chosen models and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", default=f"{MODEL_BASIC_PITCH},{MODEL_TRANSKUN}")
    parser.add_argument("--pieces", type=int, default=None, help="only the first N pieces")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=None, help="write the recordings here")
    args = parser.parse_args(argv)
    apply_thread_cap(args.threads)
    sweeps: dict[str, Callable[[Sequence[Recording], Path], list[SettingResult]]] = {
        MODEL_BASIC_PITCH: sweep_basic_pitch,
        MODEL_TRANSKUN: sweep_transkun,
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        recordings = record_set(folder, args.pieces)
        total_s = sum(r.piece.duration_s for r in recordings)
        print(f"{len(recordings)} pieces, {total_s:.0f} s of music, {args.threads} threads")
        results: list[SettingResult] = []
        for name in args.models.split(","):
            results += sweeps[name.strip()](recordings, Path(tmp))
    print(format_table(results))
    print()
    print(format_pieces(results, recordings))


if __name__ == "__main__":
    main()
