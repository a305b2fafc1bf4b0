"""Render MIDI to audio with the FluidSynth command-line synthesiser."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pretty_midi

DEFAULT_SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
RENDER_RATE_HZ = 44100


def soundfont_path() -> Path:
    """Return the General MIDI soundfont (override with `TRANSCRIBER_SOUNDFONT`)."""
    return Path(os.environ.get("TRANSCRIBER_SOUNDFONT", str(DEFAULT_SOUNDFONT)))


def render_midi(
    midi: pretty_midi.PrettyMIDI, wav_path: Path, rate_hz: int = RENDER_RATE_HZ
) -> Path:
    """Write `midi` as a 16-bit stereo WAV file rendered by FluidSynth.

    Args:
        midi: The score to render.
        wav_path: Destination file; its directory must exist.
        rate_hz: Output sample rate.

    Returns:
        `wav_path`.

    Raises:
        FileNotFoundError: If `fluidsynth` or the soundfont is missing.
        subprocess.CalledProcessError: If rendering fails.
    """
    exe = shutil.which("fluidsynth")
    font = soundfont_path()
    if exe is None:
        raise FileNotFoundError("fluidsynth is not on PATH (Debian package 'fluidsynth')")
    if not font.is_file():
        raise FileNotFoundError(f"soundfont {font} not found (Debian package 'fluid-soundfont-gm')")
    midi_path = wav_path.with_suffix(".mid")
    midi.write(str(midi_path))
    # -n/-i: no MIDI input, no shell; reverb and chorus off keep note ends crisp.
    cmd = [
        exe,
        "-ni",
        "-q",
        "-R",
        "0",
        "-C",
        "0",
        "-g",
        "0.6",
        "-r",
        str(rate_hz),
        "-T",
        "wav",
        "-O",
        "s16",
        "-F",
        str(wav_path),
        str(font),
        str(midi_path),
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    midi_path.unlink(missing_ok=True)
    return wav_path
