"""Render a score with Salamander Grand Piano samples: velocity layers, pitch shift, dampers.

The samples (Salamander Grand Piano V3 by Alexander Holm, CC-BY 3.0) come from the npm
packages `@audio-samples/piano-mp3-velocity*` and `@audio-samples/piano-mp3-release`,
installed by `scripts/test-setup.sh` into `tools/piano-samples/node_modules`. There is one
recording every minor third; other keys are resampled from the nearest one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf

from transcriber.evaluation.pieces import ScoreNote, ScorePedal
from transcriber.evaluation.resonance import add_pedal_resonance

RATE_HZ = 44100
DEFAULT_SAMPLES_DIR = (
    Path(__file__).resolve().parents[2] / "tools/piano-samples/node_modules/@audio-samples"
)
_LAYER_DIR = re.compile(r"piano-mp3-velocity(\d+)$")
_SAMPLE_FILE = re.compile(r"^([A-G])(#?)(\d)v(\d+)\.mp3$")
_NOTE_OFFSETS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
SALAMANDER_LAYERS = 16
"""Salamander records 16 velocity layers; layer k covers MIDI velocities near 8k."""
HIGHEST_DAMPED_PITCH = 88
"""A grand's top keys (above E6) have no dampers: they ring on after release."""
ONSET_LEVEL = 0.01
"""A sample's sound starts where it first reaches this fraction of its peak."""
RELEASE_GAIN = 0.35
"""Level of the key-release noise relative to the note that ends."""


def samples_dir() -> Path:
    """Folder holding the `piano-mp3-*` packages (override with `TRANSCRIBER_PIANO_SAMPLES`)."""
    return Path(os.environ.get("TRANSCRIBER_PIANO_SAMPLES", str(DEFAULT_SAMPLES_DIR)))


def _pitch_of(letter: str, sharp: str, octave: str) -> int:
    return 12 * (int(octave) + 1) + _NOTE_OFFSETS[letter] + (1 if sharp else 0)


@dataclass(frozen=True)
class SampleBank:
    """Where each recorded (layer, pitch) lives.

    Attributes:
        files: Sample path by (velocity layer, MIDI pitch).
        release_dir: Folder of `rel<key>.mp3` release noises (key 1 is A0), or None.
    """

    files: dict[tuple[int, int], Path]
    release_dir: Path | None

    @property
    def layers(self) -> tuple[int, ...]:
        """The velocity layers present, ascending."""
        return tuple(sorted({layer for layer, _ in self.files}))

    def pitches(self, layer: int) -> tuple[int, ...]:
        """The recorded pitches of one layer, ascending."""
        return tuple(sorted(p for lay, p in self.files if lay == layer))


def load_bank(folder: Path | None = None) -> SampleBank:
    """Index the installed sample packages.

    Raises:
        FileNotFoundError: If no velocity layer is installed (run `scripts/test-setup.sh`).
    """
    root = folder or samples_dir()
    files: dict[tuple[int, int], Path] = {}
    if root.is_dir():
        for package in root.iterdir():
            if not _LAYER_DIR.search(package.name):
                continue
            for mp3 in (package / "audio").glob("*.mp3"):
                found = _SAMPLE_FILE.match(mp3.name)
                if found:
                    letter, sharp, octave, layer = found.groups()
                    files[(int(layer), _pitch_of(letter, sharp, octave))] = mp3
    if not files:
        raise FileNotFoundError(
            f"no Salamander piano samples under {root}; run scripts/test-setup.sh"
        )
    release = root / "piano-mp3-release" / "audio"
    return SampleBank(files, release if release.is_dir() else None)


@lru_cache(maxsize=256)
def _decode(path: Path) -> np.ndarray:
    """Decode one MP3 to mono float32 at 44.1 kHz (libsndfile reads MP3 since 1.1)."""
    data, rate = sf.read(path, dtype="float32", always_2d=True)
    if rate != RATE_HZ:
        raise ValueError(f"{path} is sampled at {rate} Hz, expected {RATE_HZ}")
    mono: np.ndarray = data.mean(axis=1)
    # The recordings (and the MP3 encoder) put 5-15 ms before the hammer is heard; start
    # 1 ms before the sound so a note's onset in the score is its onset in the audio.
    loud = np.flatnonzero(np.abs(mono) > ONSET_LEVEL * np.max(np.abs(mono)))
    first = max(0, int(loud[0]) - RATE_HZ // 1000) if len(loud) else 0
    sample = mono[first:]
    # Shared by every note played from it (cached): a note's envelope must never reach it.
    sample.setflags(write=False)
    return sample


def layer_for(velocity: int, layers: Sequence[int]) -> int:
    """The installed layer nearest to a MIDI velocity (1-127)."""
    wanted = velocity * SALAMANDER_LAYERS / 127.0
    return min(layers, key=lambda layer: abs(layer - wanted))


def _shifted(source: np.ndarray, semitones: int, length: int) -> np.ndarray:
    """Resample `source` so it sounds `semitones` higher; the first `length` samples."""
    if semitones == 0:
        # A copy: the note's damper is applied to it in place, and ``source`` is shared.
        out = source[:length].copy()
    else:
        ratio = 2.0 ** (semitones / 12.0)
        positions = np.arange(length, dtype=np.float64) * ratio
        positions = positions[positions < len(source) - 1]
        out = np.interp(positions, np.arange(len(source)), source).astype(np.float32)
    if len(out) < length:
        out = np.pad(out, (0, length - len(out)))
    return out


def _damper_s(pitch_midi: int) -> float:
    """Time constant of the damper: felt stops bass strings a little more slowly."""
    return float(np.interp(pitch_midi, (21, 60, HIGHEST_DAMPED_PITCH), (0.12, 0.07, 0.05)))


def damper_fall_s(note: ScoreNote, pedals: Sequence[ScorePedal]) -> float:
    """When the damper meets the string: at the key's release, or at the pedal's lift.

    The pedal's lift counts when the key is released while the sustain pedal is down.
    """
    for pedal in pedals:
        if pedal.start_s <= note.end_s < pedal.end_s:
            return pedal.end_s
    return note.end_s


def _restruck(note: ScoreNote, later: Sequence[ScoreNote], until_s: float) -> float:
    """A key struck again while its string still rings under the pedal stops the old sound."""
    for other in later:
        if other.pitch_midi == note.pitch_midi and note.start_s < other.start_s < until_s:
            return other.start_s
    return until_s


def render_notes(
    notes: Sequence[ScoreNote],
    bank: SampleBank | None = None,
    tail_s: float = 1.5,
    pedals: Sequence[ScorePedal] = (),
) -> np.ndarray:
    """Play `notes` on the sampled piano, dry (no room), as mono float32 at 44.1 kHz.

    Args:
        notes: The score.
        bank: Sample index; default: the installed packages.
        tail_s: Silence kept after the last release (of a key or the pedal) for the strings
            to die away.
        pedals: Sustain-pedal spans: a key released while the pedal is down keeps sounding
            until the pedal lifts, and the open strings ring in sympathy meanwhile.

    Returns:
        The unnormalised mix.
    """
    bank = bank or load_bank()
    layers = bank.layers
    last_s = max([n.end_s for n in notes] + [p.end_s for p in pedals])
    total = int((last_s + tail_s) * RATE_HZ)
    mix = np.zeros(total, dtype=np.float32)
    ordered = sorted(notes, key=lambda n: n.start_s)
    for index, note in enumerate(ordered):
        layer = layer_for(note.velocity, layers)
        source_pitch = min(bank.pitches(layer), key=lambda p: (abs(p - note.pitch_midi), p))
        start = int(round(note.start_s * RATE_HZ))
        # Only a note the pedal holds on can be cut by the same key struck again; a held key
        # ends where the score says.
        falls_s = damper_fall_s(note, pedals)
        if falls_s > note.end_s:
            falls_s = max(note.end_s, _restruck(note, ordered[index + 1 :], falls_s))
        held = max(1, int(round((falls_s - note.start_s) * RATE_HZ)))
        damper_s = _damper_s(note.pitch_midi)
        undamped = note.pitch_midi > HIGHEST_DAMPED_PITCH
        ring = int((1.0 if undamped else 6 * damper_s) * RATE_HZ)
        length = min(held + ring, total - start)
        if length <= 0:
            continue
        sound = _shifted(
            _decode(bank.files[(layer, source_pitch)]), note.pitch_midi - source_pitch, length
        )
        if not undamped and length > held:
            after = np.arange(length - held, dtype=np.float32) / RATE_HZ
            sound[held:] *= np.exp(-after / damper_s)
        # Within a layer, scale a little by the exact velocity so dynamics are continuous.
        layer_velocity = layer * 127.0 / SALAMANDER_LAYERS
        gain = float(np.clip(note.velocity / layer_velocity, 0.7, 1.4))
        mix[start : start + length] += gain * sound
        if bank.release_dir is not None and not undamped:
            _add_release(mix, bank.release_dir, note, start + held, gain)
    return add_pedal_resonance(mix, pedals, RATE_HZ) if pedals else mix


def _add_release(mix: np.ndarray, release_dir: Path, note: ScoreNote, at: int, gain: float) -> None:
    path = release_dir / f"rel{note.pitch_midi - 20}.mp3"
    if not path.is_file() or at >= len(mix):
        return
    noise = _decode(path)[: len(mix) - at]
    mix[at : at + len(noise)] += RELEASE_GAIN * gain * noise
