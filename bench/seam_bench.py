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

import tempfile
from pathlib import Path

import numpy as np

from bench.rendered_pieces import near_seam, seam_middles, two_hands, with_held_notes
from keycraft.services.jobs.chunks import ChunkPolicy, plan_chunks
from keycraft.services.jobs.stitch import ChunkTranscription, stitch
from keycraft.services.transcription.client import TranscribedNote, Transcription
from tests.support.recordings import begun_with, doubled_onsets
from transcriber.audio.decode import decode_file
from transcriber.defaults import default_options
from transcriber.domain import NoteEvent
from transcriber.evaluation.render import render_midi
from transcriber.evaluation.scoring import score_notes
from transcriber.models.transkun.adapter import TranskunModel
from transcriber.runtime import Deadline

PIECE_S = 60.0
CHUNK_S = 15.0
OVERLAP_S = 5.0
HELD_S = 4.0
"""Each held note starts half this before the middle of a seam's shared audio."""
SEED = 15


def _doubled_at(notes: list[NoteEvent], middles: list[float]) -> int:
    """Notes counted twice (one pitch, onsets within 50 ms) in the audio a seam shares."""
    return sum(1 for d in doubled_onsets(notes) if near_seam(d[0], middles, OVERLAP_S))


def print_seams(work: Path) -> None:
    """Transcribe the seam piece in chunks and in one call; print how the seams did."""
    policy = ChunkPolicy(max_chunk_s=CHUNK_S, overlap_s=OVERLAP_S, parallel=1)
    spans = plan_chunks(PIECE_S, policy)
    middles = seam_middles(spans)
    piece, held = with_held_notes(two_hands(SEED, PIECE_S), middles, HELD_S)
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
    in_chunks = [len(begun_with(stitched, w)) for w in held]
    in_one = [len(begun_with(whole, w)) for w in held]
    pairs = [
        (begun_with(stitched, w)[0], begun_with(whole, w)[0], w)
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
        f"{_doubled_at(stitched, middles)}, one call {_doubled_at(whole, middles)}; onset F1 "
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
