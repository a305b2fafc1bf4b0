"""Benchmark the accurate model: transkun as shipped against our run of it, side by side.

Both are timed on the same files in the same process, file by file in turn, so a loaded
machine slows both alike; compare the ratios.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

from transcriber.audio.decode import decode_file
from transcriber.domain import NoteEvent, TranscriptionOptions
from transcriber.evaluation.pieces import Piece
from transcriber.evaluation.scoring import score_notes
from transcriber.models.transkun.adapter import TranskunModel
from transcriber.models.transkun.segments import SHIPPED
from transcriber.runtime import Deadline

SHORT_CLIP_S = 3.0


@dataclass(frozen=True)
class SideBySide:
    """Shipped and ours on the same files with one thread count."""

    threads: int
    audio_s: float
    shipped_s: float
    ours_s: float
    shipped_onset_f1: float
    ours_onset_f1: float
    shipped_onset_offset_f1: float
    ours_onset_offset_f1: float


def shipped_model() -> TranskunModel:
    """Transkun as the package runs it: its segment layout, gradient checkpointing on."""
    model = TranskunModel(layout=SHIPPED)
    for module in model.network.modules():
        if hasattr(module, "useGradientCheckpoint"):
            module.useGradientCheckpoint = True
    return model


def _timed(model: TranskunModel, samples: np.ndarray) -> tuple[float, list[NoteEvent]]:
    started = time.perf_counter()
    notes = model.predict(samples, TranscriptionOptions(), Deadline.unlimited())
    return time.perf_counter() - started, notes


def side_by_side(
    shipped: TranskunModel,
    ours: TranskunModel,
    rendered: list[tuple[Piece, Path]],
    work: Path,
    threads: int,
) -> SideBySide:
    """Time and score both on every file, one after the other per file."""
    torch.set_num_threads(threads)
    times = {"shipped": 0.0, "ours": 0.0}
    scores: dict[str, list[tuple[float, float]]] = {"shipped": [], "ours": []}
    audio_s = 0.0
    for piece, wav in rendered:
        rec = decode_file(wav, ours.sample_rate_hz, 1e9, work, None)
        audio_s += rec.duration_s
        for name, model in (("shipped", shipped), ("ours", ours)):
            seconds, notes = _timed(model, rec.samples)
            times[name] += seconds
            s = score_notes(piece.notes, notes)
            scores[name].append((s.onset_f1, s.onset_offset_f1))
    mean = {k: np.mean(np.array(v), axis=0) for k, v in scores.items()}
    return SideBySide(
        threads=threads,
        audio_s=audio_s,
        shipped_s=times["shipped"],
        ours_s=times["ours"],
        shipped_onset_f1=float(mean["shipped"][0]),
        ours_onset_f1=float(mean["ours"][0]),
        shipped_onset_offset_f1=float(mean["shipped"][1]),
        ours_onset_offset_f1=float(mean["ours"][1]),
    )


def joined(rendered: list[tuple[Piece, Path]], work: Path) -> tuple[Piece, Path]:
    """Every rendered piece one after another in one file, and its score.

    On a long recording only its first and last segments are spared, so the speed-up there
    is the network's alone; this row shows it beside the short files'.
    """
    parts = [sf.read(str(wav), dtype="float32") for _, wav in rendered]
    notes = []
    offset_s = 0.0
    for (piece, _), (samples, rate_hz) in zip(rendered, parts, strict=True):
        notes += [
            replace(n, start_s=n.start_s + offset_s, end_s=n.end_s + offset_s) for n in piece.notes
        ]
        offset_s += len(samples) / rate_hz
    path = work / "transkun_joined.wav"
    sf.write(path, np.concatenate([samples for samples, _ in parts]), parts[0][1])
    return Piece("joined", tuple(notes)), path


def short_clip_latency(
    shipped: TranskunModel, ours: TranskunModel, wav: Path, work: Path, threads: int
) -> dict[str, float]:
    """Seconds for the first 3 s of ``wav``: each model, and ours through the service."""
    from transcriber import create_app

    torch.set_num_threads(threads)
    rec = decode_file(wav, ours.sample_rate_hz, 1e9, work, None)
    clip = rec.samples[: int(SHORT_CLIP_S * ours.sample_rate_hz)]
    clip_wav = work / "clip3s.wav"
    sf.write(clip_wav, clip, ours.sample_rate_hz)
    shipped_s, _ = _timed(shipped, clip)
    ours_s, _ = _timed(ours, clip)
    service_dir = work / "service"
    service_dir.mkdir(exist_ok=True)
    app = create_app({"MODELS": "transkun", "THREADS": threads, "TMP_DIR": str(service_dir)})
    client = app.test_client()
    started = time.perf_counter()
    response = client.post(
        "/transcribe?format=json",
        data={"audio": (io.BytesIO(clip_wav.read_bytes()), "clip.wav"), "model": "transkun"},
    )
    service_s = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"service answered {response.status_code}: {response.get_data()!r}")
    return {"shipped_s": shipped_s, "ours_s": ours_s, "service_s": service_s}


def _print_row(label: str, row: SideBySide) -> None:
    print(
        f"transkun, {row.threads} thread(s), {label}, {row.audio_s:.1f} s: "
        f"RTF shipped {row.shipped_s / row.audio_s:.2f}, ours {row.ours_s / row.audio_s:.2f}, "
        f"speed-up x{row.shipped_s / row.ours_s:.2f}; onset F1 shipped "
        f"{row.shipped_onset_f1:.3f}, ours {row.ours_onset_f1:.3f}; onset+offset F1 "
        f"shipped {row.shipped_onset_offset_f1:.3f}, ours {row.ours_onset_offset_f1:.3f}",
        flush=True,
    )


def print_transkun(rendered: list[tuple[Piece, Path]], work: Path) -> None:
    """Print RTF and F1 of shipped and ours, and the 3 s clip latency.

    On the files with 1 and 2 threads, then on them joined into one file with 1 thread.
    """
    shipped, ours = shipped_model(), TranskunModel()
    ours.warm_up()
    for threads in (1, 2):
        row = side_by_side(shipped, ours, rendered, work, threads)
        _print_row(f"{len(rendered)} files", row)
    _print_row("one joined file", side_by_side(shipped, ours, [joined(rendered, work)], work, 1))
    clip = short_clip_latency(shipped, ours, rendered[0][1], work, threads=2)
    print(
        f"transkun, 3 s clip, 2 threads: shipped {clip['shipped_s']:.1f} s, ours "
        f"{clip['ours_s']:.1f} s (x{clip['shipped_s'] / clip['ours_s']:.1f}), ours through "
        f"the service {clip['service_s']:.1f} s",
        flush=True,
    )
