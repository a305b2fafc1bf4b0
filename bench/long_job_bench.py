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
import io
import json
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import soundfile

from keycraft.services.jobs.chunks import MAX_CHUNK_S, OVERLAP_S, ChunkPolicy, plan_chunks
from keycraft.services.transcription.client import MODEL_KNOBS, options_for
from tests.integration.auth_client import client_with_project
from tests.support.api_server import start_api
from tests.support.recordings import as_events, doubled_onsets, render_wav
from tests.support.transcriber_front import start_transcriber_pool
from tests.support.transcriber_server import SECRET
from transcriber.domain import NoteEvent
from transcriber.evaluation.pieces import Piece, ScoreNote
from transcriber.evaluation.scoring import score_notes

LENGTH_S = 1795.0
"""Just under the 30 minutes the app accepts (the renderer adds the last notes' decay)."""
RENDER_TAIL_S = 2.5
HELD_PITCHES = (37, 42, 44, 49)
"""Held notes are off the C major scale the rest of the piece keeps to, so no other note of
their pitch is near them."""
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
_SCALE = (0, 2, 4, 5, 7, 9, 11)


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


def begun_with(notes: list[NoteEvent], written: ScoreNote) -> tuple[NoteEvent, ...]:
    """The notes of the written note's pitch that begin within 0.1 s of it."""
    return tuple(
        n
        for n in notes
        if n.pitch_midi == written.pitch_midi and abs(n.start_s - written.start_s) < 0.1
    )


def seam_middles(length_s: float) -> list[float]:
    """The middle of the audio each pair of neighbouring chunks shares, in production's plan."""
    spans = plan_chunks(length_s, ChunkPolicy())
    return [(b.start_s + a.end_s) / 2 for a, b in zip(spans, spans[1:], strict=False)]


def long_piece(length_s: float, seed: int = 30) -> tuple[Piece, tuple[ScoreNote, ...]]:
    """Two hands on the C major scale for ``length_s``, and a held note across every seam."""
    rng = random.Random(seed)
    notes: list[ScoreNote] = []
    t = 0.3
    end_s = length_s - RENDER_TAIL_S - 1.0
    while t < end_s:
        step_s = rng.choice((0.2, 0.25, 0.4, 0.5))
        pitch = 60 + rng.choice(_SCALE) + 12 * rng.randint(0, 1)
        notes.append(ScoreNote(t, t + step_s * 0.9, pitch, rng.randint(55, 110)))
        if rng.random() < 0.35:
            bass = 36 + rng.choice(_SCALE) + 12 * rng.randint(0, 1)
            notes.append(ScoreNote(t, min(t + 3 * step_s, end_s), bass, 70))
        t += step_s
    held = tuple(
        ScoreNote(middle - HELD_S / 2, middle + HELD_S / 2, pitch, 100)
        for middle, pitch in zip(seam_middles(length_s), HELD_PITCHES * 4, strict=False)
    )
    every = tuple(sorted((*notes, *held), key=lambda n: (n.start_s, n.pitch_midi)))
    return Piece("thirty-minutes", every), held


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

    Sent with the options the job sends; note times are in the whole recording's seconds.
    """
    samples, rate_hz = soundfile.read(io.BytesIO(flac), dtype="float32")
    window = io.BytesIO()
    part = samples[int(start_s * rate_hz) : int(end_s * rate_hz)]
    soundfile.write(window, part, rate_hz, format="FLAC", subtype="PCM_16")
    knobs = MODEL_KNOBS["transkun"]
    options = options_for(
        "transkun", knobs.onset_threshold, knobs.frame_threshold, knobs.min_note_ms
    )
    answer = httpx.post(
        f"{url}/transcribe?format=json",
        headers={"X-Transcription-Secret": SECRET},
        data=options.form_fields(),
        files={"audio": ("window.flac", window.getvalue(), "audio/flac")},
        timeout=900,
    )
    answer.raise_for_status()
    return [
        NoteEvent(n["start_s"] + start_s, n["end_s"] + start_s, n["pitch_midi"], n["velocity"])
        for n in answer.json()["notes"]
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


def near_seam(start_s: float, middles: list[float], within_s: float = OVERLAP_S) -> bool:
    """Whether ``start_s`` falls within ``within_s`` of a seam's middle."""
    return any(abs(start_s - m) <= within_s for m in middles)


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
            one_request(pool.url, audio, m - WINDOW_S, m + WINDOW_S) for m in seam_middles(LENGTH_S)
        ]
    finally:
        pool.stop()
    assert stored is not None
    notes = as_events(stored.notes, stored.tempo_map)
    middles = seam_middles(LENGTH_S)
    doubled = doubled_onsets(notes)
    helds = [
        Held(w, begun_with(notes, w), begun_with(window, w))
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
        "doubled_at_seams": [d for d in doubled if near_seam(d[0], middles)],
        "doubled_elsewhere": len([d for d in doubled if not near_seam(d[0], middles)]),
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
