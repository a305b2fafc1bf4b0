"""Benchmark the seams: the accurate model on a piece cut into chunks, stitched, against one call.

The app cuts a long recording into overlapping chunks, one transcriber request each, and
stitches their notes (``keycraft/services/jobs``: ``chunks.plan_chunks`` and
``stitch.stitch``). Here the same plan and stitching run on the model directly, on a 60 s
rendered piece with a note held across every seam, with short chunks (15 s sharing 5 s) so
there are four seams in a minute; the same audio in one call is the reference. It prints the
notes counted twice at the seams, the onset F1 of both against the score, and for each held
note how many notes the chunks made of it and how far its end is from the one call's.
The 30-minute run through the queue with production's chunks is ``bench/long_job_bench.py``.

Run: ``python -m bench.seam_bench`` (about two minutes on two cores). ``python -m
transcriber.bench`` runs it as a separate program: the service and the app share no code.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import numpy as np

from keycraft.services.jobs.chunks import ChunkPolicy, plan_chunks
from keycraft.services.jobs.stitch import ChunkTranscription, stitch
from keycraft.services.transcription.client import TranscribedNote, Transcription
from transcriber.audio.decode import decode_file
from transcriber.defaults import default_options
from transcriber.domain import NoteEvent
from transcriber.evaluation.pieces import Piece, ScoreNote
from transcriber.evaluation.render import render_midi
from transcriber.evaluation.scoring import score_notes
from transcriber.models.transkun.adapter import TranskunModel
from transcriber.runtime import Deadline

PIECE_S = 60.0
CHUNK_S = 15.0
OVERLAP_S = 5.0
HELD_S = 4.0
"""Each held note starts half this before the middle of a seam's shared audio."""
SAME_NOTE_S = 0.05
"""Two onsets of one pitch this close are one note counted twice."""
_SCALE = (0, 2, 4, 5, 7, 9, 11)
_HELD_PITCHES = (37, 42, 44, 49)
"""Off the C major scale the rest keeps to, so no other note of their pitch is near."""


def seam_piece(middles: list[float], seed: int = 15) -> tuple[Piece, tuple[ScoreNote, ...]]:
    """Two hands on the C major scale for ``PIECE_S``, and a held note across each seam."""
    rng = random.Random(seed)
    notes: list[ScoreNote] = []
    t = 0.3
    while t < PIECE_S - 3.0:
        step_s = rng.choice((0.2, 0.25, 0.4, 0.5))
        pitch = 60 + rng.choice(_SCALE) + 12 * rng.randint(0, 1)
        notes.append(ScoreNote(t, t + step_s * 0.9, pitch, rng.randint(55, 110)))
        if rng.random() < 0.3:
            bass = 48 + rng.choice(_SCALE)
            notes.append(ScoreNote(t, t + 2 * step_s, bass, 70))
        t += step_s
    held = tuple(
        ScoreNote(m - HELD_S / 2, m + HELD_S / 2, pitch, 100)
        for m, pitch in zip(middles, _HELD_PITCHES * 4, strict=False)
    )
    every = tuple(sorted((*notes, *held), key=lambda n: (n.start_s, n.pitch_midi)))
    return Piece("seams", every), held


def doubled_near(notes: list[NoteEvent], middles: list[float]) -> int:
    """Notes of one pitch within ``SAME_NOTE_S`` of each other, within the overlap of a seam."""
    ordered = sorted(notes, key=lambda n: (n.pitch_midi, n.start_s))
    return sum(
        1
        for a, b in zip(ordered, ordered[1:], strict=False)
        if a.pitch_midi == b.pitch_midi
        and b.start_s - a.start_s < SAME_NOTE_S
        and any(abs(a.start_s - m) <= OVERLAP_S for m in middles)
    )


def _begun_with(notes: list[NoteEvent], written: ScoreNote) -> list[NoteEvent]:
    return [
        n
        for n in notes
        if n.pitch_midi == written.pitch_midi and abs(n.start_s - written.start_s) < 0.1
    ]


def print_seams(work: Path) -> None:
    """Transcribe the seam piece in chunks and in one call; print how the seams did."""
    policy = ChunkPolicy(max_chunk_s=CHUNK_S, overlap_s=OVERLAP_S, parallel=1)
    spans = plan_chunks(PIECE_S, policy)
    middles = [(b.start_s + a.end_s) / 2 for a, b in zip(spans, spans[1:], strict=False)]
    piece, held = seam_piece(middles)
    wav = render_midi(piece.to_midi(), work / "seams.wav")
    model = TranskunModel()
    rec = decode_file(wav, model.sample_rate_hz, 1e9, work, None)
    options = default_options(model.name)
    whole = model.transcribe(rec.samples, options, Deadline.unlimited()).notes
    rate = model.sample_rate_hz
    chunks = []
    for span in spans:
        part = rec.samples[int(span.start_s * rate) : int(min(span.end_s, rec.duration_s) * rate)]
        found = model.transcribe(np.ascontiguousarray(part), options, Deadline.unlimited())
        notes = tuple(
            TranscribedNote(n.start_s, n.end_s, n.pitch_midi, n.velocity) for n in found.notes
        )
        transcription = Transcription(model.name, len(part) / rate, 0.0, notes)
        chunks.append(ChunkTranscription(span.start_s, span.end_s, transcription))
    stitched = [
        NoteEvent(n.start_s, n.end_s, n.pitch_midi, n.velocity)
        for n in stitch(chunks, rec.duration_s).notes
    ]
    in_chunks = [len(_begun_with(stitched, w)) for w in held]
    in_one = [len(_begun_with(whole, w)) for w in held]
    pairs = [
        (_begun_with(stitched, w)[0], _begun_with(whole, w)[0], w)
        for w, c, o in zip(held, in_chunks, in_one, strict=True)
        if c == o == 1
    ]
    ends = ", ".join(
        f"{(c.end_s - o.end_s) * 1000:+.0f} ms ({(c.end_s - w.end_s) * 1000:+.0f} and "
        f"{(o.end_s - w.end_s) * 1000:+.0f} ms off the written end)"
        for c, o, w in pairs
    )
    print(
        f"seams, transkun: {len(spans)} chunks of {CHUNK_S:g} s sharing {OVERLAP_S:g} s over "
        f"{rec.duration_s:.0f} s; notes counted twice at the seams: chunked "
        f"{doubled_near(stitched, middles)}, one call {doubled_near(whole, middles)}; onset F1 "
        f"chunked {score_notes(piece.notes, stitched).onset_f1:.3f}, one call "
        f"{score_notes(piece.notes, whole).onset_f1:.3f}; held across the seams: notes "
        f"{in_chunks} chunked, {in_one} in one call; chunked ends off the one call's by {ends}",
        flush=True,
    )


def main() -> None:
    """Run the seam bench in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="seam-bench-") as tmp:
        print_seams(Path(tmp))


if __name__ == "__main__":
    main()
