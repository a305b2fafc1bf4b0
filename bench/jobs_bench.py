"""Transcription jobs under a burst: 20 users each send a 20 s recording at the same moment.

Run: ``nice .venv/bin/python -m bench.jobs_bench``. It serves the scale-out stack (two app
workers, Redis, DynamoDB Local, moto S3) with two Basic Pitch transcriber processes behind
one Cloud Run-like front and a queue worker with two threads; 20 signed-in users each post a
distinct rendered piano recording into their own project through the JSON API and poll their
job until it ends. The repository is then checked (every project filled once, no job lost),
and the same files are sent one after another straight to one transcriber process alone for
the reference throughput. Prints the figures and writes ``bench/results/jobs.json``.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import soundfile

from bench.job_figures import (
    JobTrace,
    partials_line,
    queue_waits_s,
    spread_line,
    throughput,
    until_done_s,
)
from bench.rendered_pieces import two_hands
from keycraft.services.auth.sessions import SESSION_COOKIE, start_session
from keycraft.services.clock import utc_now
from keycraft.services.domain import User
from keycraft.services.jobs.model import DONE, FINISHED_STATUSES
from keycraft.services.repository.port import Repository
from tests.integration.auth_client import page_client
from tests.support.app_server import RunningApp
from tests.support.dynamodb_local import start_dynamodb_local
from tests.support.factories import make_project
from tests.support.moto_s3 import start_moto_server
from tests.support.recordings import render_wav
from tests.support.scale_out import WORKERS, ScaleOutApp, start_scale_out_app
from tests.support.signed_in import create_user
from tests.support.transcriber_front import (
    TranscriberPool,
    as_transcriber,
    start_transcriber_pool,
)
from tests.support.transcriber_server import SECRET

USERS = 20
TRANSCRIBERS = 2
MODEL = "basic-pitch"
RECORDING_S = 20.0
POLL_INTERVAL_S = 0.5
"""Each user's client polls its job twice a second (40 requests a second in all)."""
JOB_TIMEOUT_S = 900.0
RESULTS = Path(__file__).resolve().parent / "results" / "jobs.json"


@dataclass(frozen=True)
class Take:
    """One user's recording, project and session."""

    user: User
    project_id: str
    session_token: str
    audio: bytes
    audio_s: float


@dataclass(frozen=True)
class Integrity:
    """What the repository holds once every job ended."""

    filled: int
    duplicates: int
    lost: int
    one_project_each: int


def audio_seconds(path: Path) -> float:
    """Length of a WAV file in seconds."""
    info = soundfile.info(str(path))
    return float(info.frames) / float(info.samplerate)


def prepare_takes(app: ScaleOutApp, folder: Path) -> list[Take]:
    """Users with a session and an empty project each, and a distinct rendered recording each."""
    folder.mkdir()
    repo = app.app.repository()
    takes = []
    for n in range(USERS):
        audio = render_wav(two_hands(100 + n, RECORDING_S), folder)
        user = create_user(app.app)
        project = repo.create_project(make_project(user, title=f"Take {n + 1}", notes=0))
        issued = start_session(repo, user.id, "jobs-bench", utc_now())
        length_s = audio_seconds(folder / f"take-{100 + n}.wav")
        takes.append(Take(user, project.id, issued.token, audio, length_s))
    return takes


def _shows_partial(job: dict[str, Any]) -> bool:
    """Whether a not-yet-done job reports notes so far (the fields may be absent)."""
    if job.get("status") == DONE:
        return False
    return bool(job.get("notes")) or int(job.get("progress_done") or 0) > 0


def follow(app: RunningApp, take: Take, start: threading.Barrier, t0: float) -> JobTrace:
    """Submit the take when every user is ready, then poll its job until it ends."""
    with signed_in_client(app, take.session_token) as client:
        start.wait()
        submitted_s = time.perf_counter() - t0
        answer = client.post(
            f"/api/projects/{take.project_id}/transcriptions",
            files={"audio": (f"take-{take.project_id[:6]}.wav", take.audio, "audio/wav")},
            data={"model": MODEL},
        )
        if answer.status_code != 202:
            raise RuntimeError(f"submit refused: {answer.status_code} {answer.text[:200]}")
        job: dict[str, Any] = answer.json()
        first_partial_s = None
        deadline = time.perf_counter() + JOB_TIMEOUT_S
        while job["status"] not in FINISHED_STATUSES and time.perf_counter() < deadline:
            time.sleep(POLL_INTERVAL_S)
            polled = client.get(job["url"])
            if polled.status_code != 200:
                continue  # a failed poll is retried; the job itself is checked at the end
            job = polled.json()
            if first_partial_s is None and _shows_partial(job):
                first_partial_s = time.perf_counter() - t0
        return JobTrace(
            job_id=job["id"],
            status=job["status"],
            submitted_s=submitted_s,
            ended_s=time.perf_counter() - t0,
            first_partial_s=first_partial_s,
            created_at=job["created_at"],
            started_at=job.get("started_at"),
            finished_at=job.get("finished_at"),
        )


def signed_in_client(app: RunningApp, session_token: str) -> httpx.Client:
    """A same-origin client of the app with the user's session, patient enough for uploads."""
    client = page_client(app)
    client.timeout = httpx.Timeout(120.0)  # 20 uploads of 3.5 MB land on the app together
    client.cookies.set(SESSION_COOKIE, session_token, domain=urlsplit(app.url).hostname or "")
    return client


def burst(app: RunningApp, takes: Sequence[Take]) -> tuple[list[JobTrace], float]:
    """Every user submits at once; return each job's trace and the wall time to the last end."""
    start = threading.Barrier(len(takes))
    traces: list[JobTrace | BaseException] = [RuntimeError("not run")] * len(takes)
    t0 = time.perf_counter()

    def run(i: int) -> None:
        try:
            traces[i] = follow(app, takes[i], start, t0)
        except BaseException as exc:  # reported below with the others
            traces[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(takes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = [t for t in traces if isinstance(t, BaseException)]
    if failures:
        raise RuntimeError(f"{len(failures)} users failed; first: {failures[0]!r}")
    done = [t for t in traces if isinstance(t, JobTrace)]
    first_submit = min(t.submitted_s for t in done)
    return done, max(t.ended_s for t in done) - first_submit


def check_store(repo: Repository, takes: Sequence[Take]) -> Integrity:
    """Count filled projects, projects with two sets of notes or repeated notes, lost jobs."""
    filled = duplicates = lost = one_each = 0
    for take in takes:
        summaries = repo.list_projects(take.user.id)
        one_each += [s.id for s in summaries] == [take.project_id]
        project = repo.get_project(take.user.id, take.project_id)
        jobs = repo.list_user_transcription_jobs(take.user.id)
        done = [j for j in jobs if j.status == DONE]
        if len(jobs) != 1 or len(done) != 1:
            lost += 1
        if project is None or not project.notes:
            continue
        filled += 1
        notes = project.notes
        # A second fill would append a second set: more notes than the job wrote, or repeats.
        if len(set(notes)) != len(notes) or any(len(notes) != j.note_count for j in done):
            duplicates += 1
    return Integrity(filled, duplicates, lost, one_each)


def reference_run(url: str, takes: Sequence[Take]) -> float:
    """Send every take one after another to one transcriber; return the wall seconds."""
    started = time.perf_counter()
    with httpx.Client(timeout=600) as client:
        for take in takes:
            answer = client.post(
                f"{url}/transcribe",
                params={"format": "json"},
                headers={"X-Transcription-Secret": SECRET},
                data={"model": MODEL},
                files={"audio": ("take.wav", take.audio, "audio/wav")},
            )
            answer.raise_for_status()
    return time.perf_counter() - started


def run(tmp: Path) -> dict[str, Any]:
    """Serve the stack, run the burst and the reference, return every figure."""
    dynamodb, dynamodb_url = start_dynamodb_local(tmp / "dynamodb.log")
    moto, s3_url = start_moto_server(tmp / "moto.log")
    pool: TranscriberPool | None = None
    app: ScaleOutApp | None = None
    try:
        pool = start_transcriber_pool(tmp / "transcribers", SECRET, TRANSCRIBERS)
        (tmp / "app").mkdir()
        app = start_scale_out_app(
            tmp / "app", dynamodb_url, s3_url, as_transcriber(pool), TRANSCRIBERS
        )
        takes = prepare_takes(app, tmp / "takes")
        traces, wall_s = burst(app.app, takes)
        integrity = check_store(app.app.repository(), takes)
        front = pool.stats()
        app.stop()
        app = None
        # Alone: the app, its worker and the other transcriber are idle or stopped now.
        reference_wall_s = reference_run(pool.backends[0][1], takes)
    finally:
        if app is not None:
            app.stop()
        if pool is not None:
            pool.stop()
        moto.stop()
        dynamodb.stop()
    audio_s = sum(t.audio_s for t in takes)
    burst_rate = throughput(audio_s, wall_s)
    reference_rate = throughput(audio_s, reference_wall_s)
    return {
        "users": len(takes),
        "audio_s": audio_s,
        "integrity": asdict(integrity),
        "statuses": sorted(t.status for t in traces),
        "first_partial": partials_line(traces),
        "queue_wait": spread_line(queue_waits_s(traces)),
        "until_done": spread_line(until_done_s(traces)),
        "wall_s": wall_s,
        "throughput": burst_rate,
        "front": front,
        "reference_wall_s": reference_wall_s,
        "reference_throughput": reference_rate,
        "ratio": burst_rate / reference_rate,
        "traces": [asdict(t) for t in traces],
    }


def report(figures: dict[str, Any]) -> list[str]:
    """The printed lines."""
    users, integrity = figures["users"], figures["integrity"]
    front = figures["front"]
    return [
        f"jobs bench: {users} users x one {RECORDING_S:g} s recording each, model {MODEL}, "
        f"{WORKERS} app workers, {TRANSCRIBERS} transcriber processes behind one front, "
        f"JOB_WORKERS={TRANSCRIBERS}",
        f"filled                  {integrity['filled']}/{users}",
        f"duplicates              {integrity['duplicates']}",
        f"lost                    {integrity['lost']}",
        f"one project per user    {integrity['one_project_each']}/{users}",
        f"first partial notes     {figures['first_partial']}",
        f"queue wait              {figures['queue_wait']}",
        f"submit to done          {figures['until_done']}",
        f"audio                   {figures['audio_s']:.1f} s in {figures['wall_s']:.1f} s wall",
        f"throughput              {figures['throughput']:.2f} audio s per wall s",
        f"front                   served {sorted(front['served'].values())}, "
        f"refused (429) {front['refused']}",
        f"one process alone       {figures['reference_throughput']:.2f} audio s per wall s "
        f"({figures['reference_wall_s']:.1f} s wall, same files one after another)",
        f"ratio                   {figures['ratio']:.2f}x",
    ]


def main() -> None:
    """Run the benchmark once, print the figures and store them."""
    with tempfile.TemporaryDirectory(prefix="jobs-bench-") as tmp:
        figures = run(Path(tmp))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2))
    for line in report(figures):
        print(line)


if __name__ == "__main__":
    main()
