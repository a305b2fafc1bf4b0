"""Regenerate the landing demo's recording and its transcription from the written minuet.

The score (``assets/demo/minuet-in-g.mid``, written by ``make_demo_midi.py``) is rendered to
audio with FluidSynth and the FluidR3_GM piano, the audio is transcribed by our own
transcriber's model, and two files are written next to the score:

- ``minuet-in-g.mp3``: the rendered recording, mono MP3, loaded when a visitor presses play;
- ``minuet-in-g-transcribed.mid``: what the model heard, which the demo piano roll shows.

Run ``.venv/bin/python -m scripts.make_demo_recording`` from the repository root (it imports
``transcriber``; needs ``fluidsynth``, ``fluid-soundfont-gm`` and ``ffmpeg``; about two minutes
on two cores). It prints the model, its settings and the note F1 against the score. Both
outputs are committed; ``--model basic-pitch`` uses the other model.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

import pretty_midi

from transcriber.audio.decode import decode_file
from transcriber.domain import MODEL_BASIC_PITCH, MODEL_TRANSKUN, TranscriptionOptions
from transcriber.evaluation.pieces import ScoreNote
from transcriber.evaluation.render import render_midi
from transcriber.evaluation.scoring import score_notes
from transcriber.midi import notes_to_midi
from transcriber.models.registry import get_model
from transcriber.runtime import Deadline, apply_thread_cap

DEMO_DIR = Path(__file__).resolve().parent.parent / "assets" / "demo"
SCORE_MIDI = DEMO_DIR / "minuet-in-g.mid"
RECORDING_MP3 = DEMO_DIR / "minuet-in-g.mp3"
TRANSCRIBED_MIDI = DEMO_DIR / "minuet-in-g-transcribed.mid"
TEMPO_BPM = 120.0
"""The score's tempo: written into the transcription so its bars line up with the score's."""
MP3_BITRATE = "48k"
"""Mono 48 kbit/s keeps the twelve-second clip near 75 KB, well under the page budget."""
TAIL_S = 1.0
"""Ring-out kept after the last note is released."""


def score_notes_of(midi: pretty_midi.PrettyMIDI) -> list[ScoreNote]:
    """The written notes, in seconds, to score the transcription against."""
    return [
        ScoreNote(n.start, n.end, n.pitch, n.velocity)
        for instrument in midi.instruments
        for n in instrument.notes
    ]


def encode_mp3(wav_path: Path, duration_s: float, out: Path) -> None:
    """Write the rendered audio as a short mono MP3."""
    subprocess.run(
        [
            "ffmpeg",
            "-y",
            "-loglevel",
            "error",
            "-i",
            str(wav_path),
            "-t",
            f"{duration_s:.3f}",
            "-ac",
            "1",
            "-ar",
            "44100",
            "-b:a",
            MP3_BITRATE,
            "-map_metadata",
            "-1",
            str(out),
        ],
        check=True,
    )


def main() -> None:
    """Render, transcribe, score and write both assets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model", choices=(MODEL_TRANSKUN, MODEL_BASIC_PITCH), default=MODEL_TRANSKUN
    )
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    apply_thread_cap(args.threads)
    score = pretty_midi.PrettyMIDI(str(SCORE_MIDI))
    duration_s = score.get_end_time() + TAIL_S
    options = TranscriptionOptions()
    model = get_model(args.model, warm_up=False)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wav = render_midi(score, work / "minuet.wav")
        recording = decode_file(wav, model.sample_rate_hz, 60.0, work, "ffmpeg")
        started = time.perf_counter()
        notes = model.predict(recording.samples, options, Deadline.unlimited())
        elapsed_s = time.perf_counter() - started
        encode_mp3(wav, duration_s, RECORDING_MP3)
    notes_to_midi(notes, tempo_bpm=TEMPO_BPM).write(str(TRANSCRIBED_MIDI))
    scores = score_notes(score_notes_of(score), notes)
    print(f"model {args.model}, {options}")
    print(
        f"{len(notes)} notes transcribed in {elapsed_s:.1f} s; onset F1 {scores.onset_f1:.3f}, "
        f"onset+offset F1 {scores.onset_offset_f1:.3f}"
    )
    for path in (RECORDING_MP3, TRANSCRIBED_MIDI):
        print(f"wrote {path.relative_to(DEMO_DIR.parent.parent)} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
