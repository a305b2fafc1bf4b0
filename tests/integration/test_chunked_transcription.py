"""A long recording transcribed in chunks by the real transcriber and a real queue worker.

Chunks are made short here (12 s, 4 s shared) so a 40 s piece crosses four seams and the
test stays fast; the fast model is used, whose notes are what the stitching has to keep.
The piece is a piano melody over organ bass notes held across the seams (an organ note does
not fade, so it still sounds when the chunk that heard it begin ends).
The test service has one instance, so one chunk is sent at a time (the parallel sending
is covered by the unit tests of the runner).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pretty_midi
import pytest

from keycraft.services.clock import utc_now
from keycraft.services.jobs.chunk_store import chunks_folder
from keycraft.services.jobs.chunks import ChunkPolicy, plan_chunks
from keycraft.services.jobs.model import ACTIVE_STATUSES
from tests.integration.auth_client import client_with_project
from tests.support.api_server import start_api
from tests.support.app_server import RunningApp
from tests.support.recordings import as_events, begun_with, doubled_onsets, render_wav
from tests.support.transcriber_server import RealTranscriber, notes_in_one_request
from transcriber.evaluation.pieces import Piece, ScoreNote
from transcriber.evaluation.render import render_midi
from transcriber.evaluation.scoring import score_notes

POLICY = ChunkPolicy(max_chunk_s=12.0, overlap_s=4.0, parallel=1)
ORGAN = 19
"""General MIDI church organ: a held key sounds at full strength until it is released, so a
held note rings on past the end of the chunk that heard it begin (a piano's would fade)."""


def _melody() -> Piece:
    """40 s of piano: a note every 0.3 s."""
    notes = tuple(
        ScoreNote(0.3 + 0.3 * i, 0.3 + 0.3 * i + 0.24, 60 + (i * 5) % 19, 70 + i % 30)
        for i in range(128)
    )
    return Piece("melody_over_held_bass", notes)


def _held() -> tuple[ScoreNote, ...]:
    """Organ bass notes, one struck early in each overlap and held 2 s past its end.

    Both chunks hear it begin, before any cut point the stitching may pick; the earlier
    chunk's audio ends while it still sounds, so its full length is only in the later one.
    """
    spans = plan_chunks(40.0, POLICY)
    return tuple(
        ScoreNote(span.start_s + 0.3, span.start_s + POLICY.overlap_s + 2.0, pitch, 100)
        for span, pitch in zip(spans[1:], (36, 43, 36, 43), strict=True)
    )


MELODY, HELD = _melody(), _held()
SCORE = tuple(sorted((*MELODY.notes, *HELD), key=lambda n: n.start_s))


def _render(folder: Path) -> bytes:
    """The piano melody and the organ's held bass as one WAV."""
    midi = MELODY.to_midi()
    organ = pretty_midi.Instrument(program=ORGAN, name="organ")
    organ.notes.extend(pretty_midi.Note(n.velocity, n.pitch_midi, n.start_s, n.end_s) for n in HELD)
    midi.instruments.append(organ)
    return render_midi(midi, folder / "held.wav").read_bytes()


@pytest.fixture(scope="module")
def api(
    tmp_path_factory: pytest.TempPathFactory, transcriber_process: RealTranscriber
) -> Iterator[RunningApp]:
    """The API on its own store and (embedded) queue, cutting recordings over 12 s."""
    running = start_api(
        tmp_path_factory.mktemp("chunked-transcription"),
        {
            "TRANSCRIBER_URL": transcriber_process.url,
            "TRANSCRIBER_SECRET": transcriber_process.secret,
            "JOB_CHUNK_MAX_S": f"{POLICY.max_chunk_s:g}",
            "JOB_CHUNK_OVERLAP_S": f"{POLICY.overlap_s:g}",
            "JOB_CHUNK_PARALLEL": str(POLICY.parallel),
            # A killed worker's job may be taken over soon after (the lease is kept every 2 s).
            "JOB_LEASE_S": "6",
        },
    )
    try:
        yield running
    finally:
        running.stop()


def _wait_done(client: httpx.Client, url: str, timeout_s: float = 300.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(url).json()
        if body["status"] not in ("queued", "running"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"the job did not end: {body}")


def test_a_long_recording_is_transcribed_in_chunks_into_one_project_like_one_request(
    api: RunningApp, transcriber: RealTranscriber, tmp_path: Path
) -> None:
    client, project = client_with_project(api, "Long")
    wav = _render(tmp_path)
    api.start_worker()
    before = len(transcriber.transcriptions())
    started = client.post(
        f"/api/projects/{project.id}/transcriptions",
        files={"audio": ("long.wav", wav, "audio/wav")},
        data={"model": "basic-pitch"},
    )
    assert started.status_code == 202, started.text
    body = _wait_done(client, started.json()["url"])
    assert body["status"] == "done", body
    assert body["progress_done"] == body["progress_total"] == 100 * 5  # five chunks

    # One request per chunk reached the service, and one project holds the notes.
    assert len(transcriber.transcriptions()[before:]) == 5
    stored = api.repository().get_project(project.user_id, project.id)
    assert stored is not None
    assert [p.id for p in api.repository().list_projects(project.user_id)] == [project.id]
    chunked = as_events(stored.notes, stored.tempo_map)
    whole = notes_in_one_request(
        transcriber.url,
        transcriber.secret,
        "basic-pitch",
        ("whole.wav", wav, "audio/wav"),
        stored.tempo_bpm,
    )

    # The organ's upper partials make the model split a note now and then, in one request
    # too; cutting the recording adds no note counted twice.
    doubled, doubled_whole = doubled_onsets(chunked), doubled_onsets(whole)
    assert len(doubled) <= len(doubled_whole), (doubled, doubled_whole)
    chunked_f1 = score_notes(SCORE, chunked).onset_f1
    whole_f1 = score_notes(SCORE, whole).onset_f1
    # Cutting may cost a note or two (each under a point of F1), no more.
    assert chunked_f1 >= whole_f1 - 0.015, (chunked_f1, whole_f1)
    as_written = [ScoreNote(n.start_s, n.end_s, n.pitch_midi, n.velocity) for n in whole]
    # Mostly the same notes as one request: what differs is the organ's partials (a third
    # of the notes heard, none written), which come and go with the audio around them.
    assert score_notes(as_written, chunked).onset_f1 >= 0.9

    # A bass note held across a seam is one note, as long as one request hears it. (The
    # model hears some of the organ's low notes an octave or a twelfth up, in one request
    # as in chunks; those are scored above.)
    rang_on = []
    for written in HELD:
        in_whole, in_chunks = begun_with(whole, written), begun_with(chunked, written)
        assert len(in_chunks) == len(in_whole) <= 1, (written, in_chunks, in_whole)
        for one, cut in zip(in_whole, in_chunks, strict=True):
            # Within 0.25 s: the project's tick grid moves an end by < 10 ms, and the model
            # places the end of a note within a few 11.6 ms frames of where it did before.
            assert abs(cut.end_s - one.end_s) < 0.25, (in_chunks, in_whole)
            earlier_chunk_end_s = written.start_s - 0.3 + POLICY.overlap_s
            if cut.end_s > earlier_chunk_end_s + 1.0:
                rang_on.append(cut)  # its end came from the later chunk
    assert rang_on, "no held note rang on past the chunk that heard it begin"


def test_a_worker_killed_mid_job_leaves_its_finished_chunks_to_the_next(
    api: RunningApp, transcriber: RealTranscriber, tmp_path: Path
) -> None:
    client, project = client_with_project(api, "Long")
    wav = render_wav(MELODY, tmp_path)
    if api.worker is None:
        api.start_worker()
    started = client.post(
        f"/api/projects/{project.id}/transcriptions",
        files={"audio": ("long.wav", wav, "audio/wav")},
        data={"model": "basic-pitch"},
    )
    url = started.json()["url"]
    job_id = url.rsplit("/", 1)[1]
    # The worker keeps each finished chunk as a file the moment it has it; the job's progress
    # is reported later, so it would lag (on a quick machine the job was done by then).
    kept = api.data_dir / "media" / chunks_folder(job_id)
    deadline = time.monotonic() + 120
    while len(list(kept.glob("*.json"))) < 2:
        assert time.monotonic() < deadline, client.get(url).json()
        time.sleep(0.01)
    worker = api.worker
    assert worker is not None
    # Killed at once, as a crash would be: between two chunks landing there is a whole request
    # to the service, far longer than this step, so the job is mid-way on any machine.
    os.killpg(worker.process.pid, signal.SIGKILL)
    worker.process.wait(10)
    finished = len(list(kept.glob("*.json")))
    assert 2 <= finished < 5, finished
    while True:  # a new worker takes over once the dead one's lease (if any) has passed
        job = api.repository().get_transcription_job(project.user_id, job_id)
        assert job is not None and job.status in ACTIVE_STATUSES, job
        # Between rounds of chunks (a busy service) the job waits queued, with no lease.
        if job.lease_until is None or job.lease_until < utc_now():
            break
        time.sleep(0.2)
    transcriber.wait_idle()  # a request the dead worker left in flight ends first
    before = len(transcriber.transcriptions())
    api.start_worker()
    body = _wait_done(client, url)
    assert body["status"] == "done", body
    # The new worker sent only what was not kept (the chunk in flight at the kill, and on).
    assert len(transcriber.transcriptions()) - before <= 5 - finished
    stored = api.repository().get_project(project.user_id, project.id)
    assert stored is not None
    chunked = as_events(stored.notes, stored.tempo_map)
    assert doubled_onsets(chunked) == []
    assert score_notes(MELODY.notes, chunked).onset_f1 >= 0.8
