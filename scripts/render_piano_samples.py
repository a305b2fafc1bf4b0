"""Render the editor's sampled piano into ``assets/piano/`` with FluidSynth and ffmpeg.

Uses the Debian General MIDI soundfont (FluidR3_GM, MIT licence; package
``fluid-soundfont-gm``): one sample every six semitones, 2.5 s, mono MP3. Run once after
changing the sample set: ``.venv/bin/python scripts/render_piano_samples.py``.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import mido

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "assets" / "piano"
SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
PITCHES_MIDI = (21, *range(24, 109, 6))
"""A0, then C1, F#1, ... C8: must match SAMPLE_NOTES in piano_roll.jsx."""
HOLD_S = 2.0
TAIL_S = 0.5
VELOCITY = 90


def sample_name(pitch_midi: int) -> str:
    """File stem for a pitch, e.g. ``C4`` or ``Fs4`` (``#`` is not URL-safe)."""
    return f"{NOTE_NAMES[pitch_midi % 12].replace('#', 's')}{pitch_midi // 12 - 1}"


def render(pitch_midi: int, work: Path) -> Path:
    """Render one held note to MP3 and return its path."""
    midi = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack(
        [
            mido.MetaMessage("set_tempo", tempo=500_000),
            mido.Message("program_change", program=0),
            mido.Message("note_on", note=pitch_midi, velocity=VELOCITY, time=0),
            mido.Message("note_off", note=pitch_midi, time=int(HOLD_S * 960)),
            mido.MetaMessage("end_of_track", time=int(TAIL_S * 960)),
        ]
    )
    midi.tracks.append(track)
    mid_path = work / f"{pitch_midi}.mid"
    wav_path = work / f"{pitch_midi}.wav"
    midi.save(mid_path)
    subprocess.run(
        [
            "fluidsynth",
            "-ni",
            "-g",
            "0.8",
            "-r",
            "44100",
            "-F",
            str(wav_path),
            str(SOUNDFONT),
            str(mid_path),
        ],
        check=True,
        capture_output=True,
    )
    out = OUT_DIR / f"{sample_name(pitch_midi)}.mp3"
    subprocess.run(
        [
            "ffmpeg",
            "-y",
            "-loglevel",
            "error",
            "-i",
            str(wav_path),
            "-t",
            str(HOLD_S + TAIL_S),
            "-ac",
            "1",
            "-ar",
            "44100",
            "-b:a",
            "64k",
            "-af",
            f"volume=12dB,afade=t=out:st={HOLD_S}:d={TAIL_S}",
            str(out),
        ],
        check=True,
    )
    return out


def main() -> None:
    """Render every sample."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for pitch in PITCHES_MIDI:
            print(render(pitch, Path(tmp)))


if __name__ == "__main__":
    main()
