"""A 30-minute recording through the job queue with the accurate model, cut into chunks.

Run: ``nice .venv/bin/python -m bench.long_job_bench`` (about 15 minutes on two cores). It
renders a 30-minute two-hand piano piece with a held note across every seam, serves the API
on the embedded defaults (SQLite, the in-process queue) with its queue worker, and a front
over ``--instances`` transkun transcriber processes of one thread each (the deployment's
1-vCPU instances). The recording is posted into one project as a mono FLAC upload, with the
production chunking (370 s at most, 10 s shared); the job is followed until it ends.

It prints the job's wall time, each chunk's time in the service and its real-time factor,
the onset F1 of the project's notes against the written piece, the notes counted twice (at
the seams and elsewhere), whether each held note is one note, and how far its end is from
the written end and from where one request over its seam (a minute of audio, sent to the
same service afterwards) ends it: the model may end a fading low note early in one request
too, and the seams must add nothing to that. Then the arithmetic for the deployment: with
as many instances as chunks, the job takes as long as its slowest chunk. Writes
``bench/results/long_job.json``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import soundfile

from bench.rendered_pieces import near_seam, seam_middles, two_hands, with_held_notes
from keycraft.services.jobs.chunks import MAX_CHUNK_S, OVERLAP_S, ChunkPolicy, plan_chunks
from keycraft.services.transcription.audio_slice import slice_recording
from tests.integration.auth_client import client_with_project
from tests.support.api_server import start_api
from tests.support.recordings import as_events, begun_with, doubled_onsets, render_wav
from tests.support.transcriber_front import start_transcriber_pool
from tests.support.transcriber_server import SECRET, notes_in_one_request
from transcriber.domain import NoteEvent
from transcriber.evaluation.pieces import Piece, ScoreNote
from transcriber.evaluation.scoring import score_notes

LENGTH_S = 1795.0
"""Just under the 30 minutes the app accepts (the renderer adds the last notes' decay)."""
WINDOW_S = 30.0
"""Each held note is also transcribed in one request of the audio this far either side of its
seam: how long one request hears it is the length the chunks should give it."""
HELD_S = 6.0
"""Each held note starts 3 s before the middle of a seam's shared audio and ends 3 s after,
so both chunks hear it begin and the cut falls while it sounds."""
DEPLOYMENT_TIMEOUT_S = 1800.0
DEPLOYMENT_INSTANCES = 5
JOB_TIMEOUT_S = 3 * 3600.0
RESULTS = Path(__file__).resolve().parent / "results" / "long_job.json"


@dataclass(frozen=True)
class Held:
    """A note written across a seam, and what the project made of it."""

    written: ScoreNote
    found: tuple[NoteEvent, ...]
    in_one_request: tuple[NoteEvent, ...]

    @property
    def end_error_s(self) -> float | None:
        """How far the one note found ends from the written end; None unless one was found."""
        if len(self.found) != 1:
            return None
        return self.found[0].end_s - self.written.end_s

    @property
    def end_off_one_request_s(self) -> float | None:
        """How far it ends from where one request over its seam ends it; None unless one each."""
        if len(self.found) != 1 or len(self.in_one_request) != 1:
            return None
        return self.found[0].end_s - self.in_one_request[0].end_s


def production_seams(length_s: float) -> list[float]:
    """The middles of the seams production's chunk plan makes in a recording of ``length_s``."""
    return seam_middles(plan_chunks(length_s, ChunkPolicy()))


def long_piece(length_s: float, seed: int = 30) -> tuple[Piece, tuple[ScoreNote, ...]]:
    """Two hands on the C major scale for ``length_s``, and a held note across every seam."""
    return with_held_notes(two_hands(seed, length_s), production_seams(length_s), HELD_S)


def as_flac(wav: bytes, folder: Path) -> tuple[bytes, float]:
    """The WAV mixed to mono and stored as 16-bit FLAC (under the 100 MB upload limit)."""
    source, target = folder / "long.wav", folder / "long.flac"
    source.write_bytes(wav)
    with (
        soundfile.SoundFile(str(source)) as f,
        soundfile.SoundFile(str(target), "w", f.samplerate, 1, subtype="PCM_16") as out,
    ):
        for block in f.blocks(blocksize=1 << 16, dtype="float32", always_2d=True):
            out.write(block.mean(axis=1))
        seconds = f.frames / f.samplerate
    source.unlink()
    return target.read_bytes(), seconds


def follow(client: httpx.Client, url: str) -> tuple[dict[str, Any], list[tuple[float, int]]]:
    """Poll the job until it ends; return its last answer and (seconds, percent) steps."""
    started = time.monotonic()
    steps: list[tuple[float, int]] = []
    while time.monotonic() - started < JOB_TIMEOUT_S:
        body: dict[str, Any] = client.get(url).json()
        done, total = int(body.get("progress_done") or 0), int(body.get("progress_total") or 0)
        percent = round(100 * done / total) if total else 0
        if not steps or percent != steps[-1][1]:
            steps.append((time.monotonic() - started, percent))
            print(f"  {steps[-1][0]:6.0f} s  {percent:3d} %  {body['status']}", flush=True)
        if body["status"] not in ("queued", "running"):
            return body, steps
        time.sleep(1.0)
    raise AssertionError(f"the job did not end within {JOB_TIMEOUT_S:.0f} s: {body}")


def one_request(url: str, flac: bytes, start_s: float, end_s: float) -> list[NoteEvent]:
    """The notes one transkun request hears in ``[start_s, end_s)`` of the recording.

    Cut as the job cuts its chunks, sent with the options the job sends; note times are in
    the whole recording's seconds.
    """
    window = slice_recording(flac, ".flac", start_s, end_s, padding_s=0.0, compact=True)
    heard = notes_in_one_request(
        url, SECRET, "transkun", ("window.flac", window.wav_bytes, "audio/flac")
    )
    return [
        replace(n, start_s=n.start_s + window.offset_s, end_s=n.end_s + window.offset_s)
        for n in heard
    ]


def chunk_times(logs: list[Path]) -> list[dict[str, float]]:
    """Every transkun transcription the services logged: its audio and processing time."""
    found = []
    for log in logs:
        for line in log.read_text().splitlines():
            if not line.startswith("{"):
                continue
            entry = json.loads(line)
            if entry.get("event") == "transcription" and entry.get("outcome") == "ok":
                found.append(
                    {"audio_s": float(entry["audio_s"]), "seconds": entry["processing_ms"] / 1000}
                )
    return found


def run(tmp: Path, instances: int) -> dict[str, Any]:
    """Render, serve, post, follow; return the figures."""
    piece, held = long_piece(LENGTH_S)
    rendered = time.perf_counter()
    audio, audio_s = as_flac(render_wav(piece, tmp), tmp)
    print(
        f"rendered {audio_s:.0f} s ({len(audio) / 1e6:.0f} MB FLAC) in "
        f"{time.perf_counter() - rendered:.0f} s",
        flush=True,
    )
    pool = start_transcriber_pool(
        tmp / "transcribers",
        SECRET,
        instances,
        {"TRANSCRIBER_MODELS": "transkun", "TRANSCRIBER_THREADS": "1"},
    )
    try:
        api = start_api(
            tmp / "api",
            {
                "TRANSCRIBER_URL": pool.url,
                "TRANSCRIBER_SECRET": pool.secret,
                "JOB_CHUNK_PARALLEL": str(instances),
            },
        )
        try:
            api.start_worker()
            client, project = client_with_project(api, "Thirty minutes")
            started = time.monotonic()
            answer = client.post(
                f"/api/projects/{project.id}/transcriptions",
                files={"audio": ("thirty-minutes.flac", audio, "audio/flac")},
                data={"model": "transkun"},
                timeout=600,
            )
            answer.raise_for_status()
            body, steps = follow(client, answer.json()["url"])
            wall_s = time.monotonic() - started
            repo = api.repository()
            stored = repo.get_project(project.user_id, project.id)
            projects = len(repo.list_projects(project.user_id))
        finally:
            api.stop()
        chunks = chunk_times([server.log for server, _ in pool.backends])
        windows = [
            one_request(pool.url, audio, m - WINDOW_S, m + WINDOW_S)
            for m in production_seams(LENGTH_S)
        ]
    finally:
        pool.stop()
    assert stored is not None
    notes = as_events(stored.notes, stored.tempo_map)
    middles = production_seams(LENGTH_S)
    doubled = doubled_onsets(notes)
    helds = [
        Held(w, tuple(begun_with(notes, w)), tuple(begun_with(window, w)))
        for w, window in zip(held, windows, strict=True)
    ]
    slowest = max(c["seconds"] for c in chunks)
    scores = score_notes(piece.notes, notes)
    return {
        "status": body["status"],
        "audio_s": audio_s,
        "instances": instances,
        "wall_s": wall_s,
        "progress": steps,
        "chunks": chunks,
        "projects": projects,
        "notes": len(notes),
        "written": len(piece.notes),
        "onset_f1": scores.onset_f1,
        "onset_offset_f1": scores.onset_offset_f1,
        "doubled_at_seams": [d for d in doubled if near_seam(d[0], middles, OVERLAP_S)],
        "doubled_elsewhere": len([d for d in doubled if not near_seam(d[0], middles, OVERLAP_S)]),
        "held_found": [len(h.found) for h in helds],
        "held_end_error_s": [h.end_error_s for h in helds],
        "held_in_one_request": [len(h.in_one_request) for h in helds],
        "held_end_off_one_request_s": [h.end_off_one_request_s for h in helds],
        "deployment_s": slowest,
        "deployment_chunks": len(plan_chunks(audio_s, ChunkPolicy())),
    }


def report(f: dict[str, Any]) -> list[str]:
    """The figures as lines."""
    rtfs = [c["seconds"] / c["audio_s"] for c in f["chunks"]]
    ends = [e for e in f["held_end_error_s"] if e is not None]
    against_one = [e for e in f["held_end_off_one_request_s"] if e is not None]
    return [
        f"job {f['status']}: {f['audio_s'] / 60:.1f} min of audio in {f['wall_s']:.0f} s on "
        f"{f['instances']} one-thread transkun instances; {f['projects']} project, "
        f"{f['notes']} notes ({f['written']} written)",
        "chunks: "
        + ", ".join(f"{c['audio_s']:.0f} s audio in {c['seconds']:.0f} s" for c in f["chunks"])
        + f" (RTF {min(rtfs):.2f}-{max(rtfs):.2f} on one thread)",
        f"onset F1 {f['onset_f1']:.3f}, onset+offset F1 {f['onset_offset_f1']:.3f}",
        f"notes counted twice: {len(f['doubled_at_seams'])} at the seams "
        f"{f['doubled_at_seams']}, {f['doubled_elsewhere']} elsewhere",
        f"held across seams: found {f['held_found']} (1 each wanted; one request over each "
        f"seam: {f['held_in_one_request']}); ends off the written ends by "
        + ", ".join(f"{e:+.2f} s" for e in ends)
        + "; off where one request over the seam ends them by "
        + ", ".join(f"{e:+.2f} s" for e in against_one),
        f"deployment: {f['deployment_chunks']} chunks of at most {MAX_CHUNK_S:.0f} s on "
        f"{DEPLOYMENT_INSTANCES} x 1 vCPU run at once, so the job takes about its slowest "
        f"chunk: {f['deployment_s']:.0f} s against the {DEPLOYMENT_TIMEOUT_S:.0f} s timeout",
    ]


def main() -> None:
    """Run the bench and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=2, help="transcriber processes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="long-job-") as tmp:
        figures = run(Path(tmp), args.instances)
    lines = report(figures)
    print("\n".join(lines))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({**figures, "report": lines}, indent=1, default=float))


if __name__ == "__main__":
    main()
