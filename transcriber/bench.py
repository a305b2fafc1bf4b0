"""Benchmark: speed against the reference Basic Pitch, transkun speed, memory and accuracy.

Run `python -m transcriber.bench` (needs the dev requirements, FluidSynth and its GM
soundfont). All speed figures compared with each other are measured in the same run on the
same audio, and reported as ratios, because absolute timings vary with machine load.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

from transcriber.audio.decode import decode_file
from transcriber.bench_pedal import bench_belief_share, bench_pedal, print_belief, print_pedal
from transcriber.bench_transkun import print_transkun
from transcriber.defaults import default_options
from transcriber.domain import TranscriptionOptions
from transcriber.evaluation.beat_scoring import BeatScores, score_baseline, score_rhythm
from transcriber.evaluation.metred import metred_set
from transcriber.evaluation.pieces import Piece, evaluation_set
from transcriber.evaluation.render import render_midi
from transcriber.evaluation.room import recital_room, record_piece
from transcriber.evaluation.scoring import (
    score_notes,
)
from transcriber.models.base import TranscriptionModel
from transcriber.models.basic_pitch.adapter import BasicPitchModel
from transcriber.models.transkun.adapter import TranskunModel
from transcriber.rhythm import track_rhythm
from transcriber.runtime import Deadline

LONG_INPUT_S = 30 * 60


def _best_of(repeats: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def _reference_runner(path: Path, threads: int) -> Callable[[], object]:
    """Spotify's `predict()` with an onnxruntime session capped at `threads`."""
    logging.disable(logging.WARNING)
    import basic_pitch
    import onnxruntime as ort
    from basic_pitch import inference

    onnx_path = basic_pitch.build_icassp_2022_model_path(basic_pitch.FilenameSuffix.onnx)
    model = inference.Model(onnx_path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    model.model = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])

    def run() -> object:
        with contextlib.redirect_stdout(io.StringIO()):
            return inference.predict(str(path), model)

    return run


def _ours_runner(path: Path, model: BasicPitchModel, work: Path) -> Callable[[], object]:
    def run() -> object:
        rec = decode_file(path, model.sample_rate_hz, 1e9, work, None)
        return model.predict(rec.samples, TranscriptionOptions(), Deadline.unlimited())

    return run


def bench_basic_pitch_speed(path: Path, work: Path, repeats: int) -> list[dict[str, float]]:
    """Reference vs our end-to-end time on the same file for 1 and 2 threads."""
    duration_s = sf.info(str(path)).duration
    model = BasicPitchModel()
    rows = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        reference = _reference_runner(path, threads)
        ours = _ours_runner(path, model, work)
        reference()  # warm caches and lazy imports for both sides
        ours()
        ref_s = _best_of(repeats, reference)
        ours_s = _best_of(repeats, ours)
        rows.append(
            {
                "threads": threads,
                "reference_rtf": ref_s / duration_s,
                "ours_rtf": ours_s / duration_s,
                "speedup": ref_s / ours_s,
            }
        )
    return rows


_CHILD_CODE = """
import json, sys, time
from pathlib import Path
from transcriber.audio.decode import decode_file
from transcriber.defaults import default_options
from transcriber.domain import MODEL_NAMES
from transcriber.models.registry import get_model
from transcriber.runtime import Deadline

def peak_mib():
    # VmHWM belongs to this process image only; ru_maxrss would include the forking parent.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

# Every model loaded, as the service loads them at start-up; then one of them transcribes.
models = {name: get_model(name) for name in MODEL_NAMES}
model = models[sys.argv[3]]
loaded = peak_mib()
started = time.perf_counter()
rec = decode_file(Path(sys.argv[1]), model.sample_rate_hz, 1e9, Path(sys.argv[2]), None)
# As a request runs it: the service's defaults, pedal included.
found = model.transcribe(rec.samples, default_options(model.name), Deadline.unlimited())
print(json.dumps({"seconds": time.perf_counter() - started, "notes": len(found.notes),
                  "audio_s": rec.duration_s, "peak_rss_mib": peak_mib(),
                  "after_load_mib": loaded}))
"""


def print_seams() -> None:
    """Print the seam bench: a piece in chunks, stitched as the app stitches, against one call.

    The stitching is the app's (``bench/seam_bench.py``), and the service shares no code with
    the app, so it runs as its own program from the repository's root.
    """
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-m", "bench.seam_bench"],
        check=True,
        capture_output=True,
        text=True,
        cwd=root,
    )
    print(out.stdout.strip(), flush=True)


def measure_long_input_rss(path: Path, work: Path, model: str) -> dict[str, float]:
    """Peak RSS of a fresh process holding every model, transcribing ``path`` with ``model``."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD_CODE, str(path), str(work), model],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def bench_accuracy(
    rendered: list[tuple[Piece, Path]], work: Path, transkun_pieces: int
) -> dict[str, dict[str, float]]:
    """Mean onset-only and onset+offset F1 per model on the rendered set."""
    results: dict[str, dict[str, float]] = {}
    models: list[tuple[str, TranscriptionModel, int]] = [
        ("basic-pitch", BasicPitchModel(), len(rendered)),
        ("transkun", TranskunModel(), transkun_pieces),
    ]
    for name, model, count in models:
        scores = []
        for piece, wav in rendered[:count]:
            rec = decode_file(wav, model.sample_rate_hz, 1e9, work, None)
            notes = model.predict(rec.samples, TranscriptionOptions(), Deadline.unlimited())
            scores.append(score_notes(piece.notes, notes))
        results[name] = {
            "pieces": count,
            "onset_f1": float(np.mean([s.onset_f1 for s in scores])),
            "onset_offset_f1": float(np.mean([s.onset_offset_f1 for s in scores])),
        }
    return results


BEAT_BASELINE = "librosa"


def bench_beats(
    work: Path, models: list[TranscriptionModel]
) -> dict[str, list[tuple[str, BeatScores]]]:
    """Beat, downbeat and metre scores per piece of the metred set, per model and baseline.

    Each piece is played on the sampled grand in a room; ours tracks the notes each model
    transcribes, the baseline (librosa) the same recording's audio.
    """
    rows: dict[str, list[tuple[str, BeatScores]]] = {m.name: [] for m in models}
    rows[BEAT_BASELINE] = []
    for index, metred in enumerate(metred_set()):
        wav = record_piece(metred.piece.notes, recital_room(index), work / f"{metred.name}.wav")
        for model in models:
            rec = decode_file(wav, model.sample_rate_hz, 1e9, work, None)
            found = model.transcribe(rec.samples, default_options(model.name), Deadline.unlimited())
            rows[model.name].append((metred.name, score_rhythm(metred, track_rhythm(found.notes))))
        rows[BEAT_BASELINE].append((metred.name, score_baseline(metred, wav)))
    return rows


def _print_beats(rows: dict[str, list[tuple[str, BeatScores]]]) -> None:
    written = {m.name: m.beats_per_bar for m in metred_set()}
    for name, scored in rows.items():
        label = f"ours on {name} notes" if name != BEAT_BASELINE else "baseline (librosa, 4/4)"
        for piece, s in scored:
            heard = f"{s.beats_per_bar}/4" if s.beats_per_bar else "none"
            print(
                f"{label}, {piece} ({written[piece]}/4): beat F {s.beat_f:.3f}, "
                f"downbeat F {s.downbeat_f:.3f}, metre {heard} "
                f"{'right' if s.meter_ok else 'wrong'}"
            )
        print(
            f"{label}, mean of {len(scored)}: "
            f"beat F {np.mean([s.beat_f for _, s in scored]):.3f}, "
            f"downbeat F {np.mean([s.downbeat_f for _, s in scored]):.3f}, "
            f"metre right {sum(s.meter_ok for _, s in scored)}/{len(scored)}"
        )


def render_evaluation_set(work: Path) -> list[tuple[Piece, Path]]:
    """Every piece of the evaluation set, rendered to a WAV file in ``work``."""
    return [(p, render_midi(p.to_midi(), work / f"{p.name}.wav")) for p in evaluation_set()]


def write_long_input(work: Path, joined: np.ndarray | None = None) -> Path:
    """The rendered evaluation pieces (``joined``), repeated to at least 30 minutes."""
    if joined is None:
        rendered = render_evaluation_set(work)
        joined = np.concatenate([sf.read(str(w), dtype="float32")[0] for _, w in rendered])
    reps = int(np.ceil(LONG_INPUT_S * 44100 / len(joined)))
    long_path = work / "long.wav"
    with sf.SoundFile(str(long_path), "w", 44100, 2, subtype="PCM_16") as f:
        for _ in range(reps):
            f.write(joined)
    return long_path


def print_long_input_rss(path: Path, work: Path, models: list[str]) -> None:
    """Print each model's peak RSS (every model loaded, as in the service) on a long input."""
    for name in models:
        rss = measure_long_input_rss(path, work, name)
        print(
            f"{name} on a {rss['audio_s'] / 60:.1f} min input, every model loaded: "
            f"peak RSS {rss['peak_rss_mib']:.0f} MiB ({rss['after_load_mib']:.0f} MiB after "
            f"loading the models), {rss['seconds']:.0f} s (RTF "
            f"{rss['seconds'] / rss['audio_s']:.2f}, {torch.get_num_threads()} threads), "
            f"{rss['notes']:.0f} notes",
            flush=True,
        )


def main(argv: list[str] | None = None) -> None:
    """Render the evaluation audio, run every measurement and print a report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3, help="best-of repeats for speed")
    parser.add_argument("--transkun-pieces", type=int, default=4, help="pieces scored by transkun")
    parser.add_argument("--skip-long", action="store_true", help="skip the 30-minute RSS run")
    parser.add_argument(
        "--long-models",
        default="transkun,basic-pitch",
        help="models whose peak RSS on the 30-minute input is measured",
    )
    parser.add_argument(
        "--long-only", action="store_true", help="only measure the 30-minute input's peak RSS"
    )
    parser.add_argument(
        "--transkun-only",
        action="store_true",
        help="only compare transkun as shipped with ours (speed, F1, 3 s clip latency)",
    )
    parser.add_argument(
        "--pedal-only", action="store_true", help="only score the sustain pedal (transkun)"
    )
    parser.add_argument(
        "--seams-only",
        action="store_true",
        help="only transcribe a piece in chunks and in one call with transkun (the seams)",
    )
    parser.add_argument(
        "--beats",
        action="store_true",
        help="only score beats, downbeats and metre (ours on each model's notes, and librosa)",
    )
    parser.add_argument(
        "--beat-models",
        default="transkun,basic-pitch",
        help="models whose notes the beat tracker is scored on (with --beats)",
    )
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    if args.beats:
        makers = {"transkun": TranskunModel, "basic-pitch": BasicPitchModel}
        models: list[TranscriptionModel] = [
            makers[name]() for name in args.beat_models.split(",") if name
        ]
        with tempfile.TemporaryDirectory(prefix="transcriber-bench-") as tmp:
            _print_beats(bench_beats(Path(tmp), models))
        return
    if args.transkun_only:
        with tempfile.TemporaryDirectory(prefix="transcriber-bench-") as tmp:
            work = Path(tmp)
            rendered = render_evaluation_set(work)
            print_transkun(rendered[: args.transkun_pieces], work)
        return
    if args.long_only:
        with tempfile.TemporaryDirectory(prefix="transcriber-bench-") as tmp:
            work = Path(tmp)
            long_path = write_long_input(work)
            print_long_input_rss(long_path, work, args.long_models.split(","))
        return
    if args.seams_only:
        print_seams()
        return
    if args.pedal_only:
        with tempfile.TemporaryDirectory(prefix="transcriber-bench-") as tmp:
            model = TranskunModel()
            print_pedal(bench_pedal(Path(tmp), model))
            print_belief(bench_belief_share(Path(tmp), model))
        return

    with tempfile.TemporaryDirectory(prefix="transcriber-bench-") as tmp:
        work = Path(tmp)
        rendered = render_evaluation_set(work)
        joined = np.concatenate([sf.read(str(w), dtype="float32")[0] for _, w in rendered])
        speed_path = work / "joined.wav"
        sf.write(speed_path, joined, 44100)
        print(f"speed input: {len(joined) / 44100:.1f} s of rendered piano, 44.1 kHz stereo")

        for row in bench_basic_pitch_speed(speed_path, work, args.repeats):
            print(
                f"basic-pitch end to end, {row['threads']} thread(s): "
                f"reference RTF {row['reference_rtf']:.4f}, ours RTF {row['ours_rtf']:.4f}, "
                f"speed-up x{row['speedup']:.2f}"
            )

        print_transkun(rendered[: args.transkun_pieces], work)
        print_seams()

        if not args.skip_long:
            long_path = write_long_input(work, joined)
            print_long_input_rss(long_path, work, args.long_models.split(","))
            long_path.unlink()

        print_pedal(bench_pedal(work))
        print_belief(bench_belief_share(work))
        accuracy = bench_accuracy(rendered, work, args.transkun_pieces)
        for name, row in accuracy.items():
            print(
                f"{name} on {row['pieces']:.0f} pieces: mean onset F1 {row['onset_f1']:.3f}, "
                f"mean onset+offset F1 {row['onset_offset_f1']:.3f}"
            )
    own_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(benchmark process peak RSS {own_rss_mib:.0f} MiB, {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
