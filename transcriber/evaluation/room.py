"""Put a dry rendering in a room: a synthetic impulse response, then background noise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy import signal

from transcriber.evaluation.pieces import ScoreNote, ScorePedal
from transcriber.evaluation.sampled_piano import RATE_HZ, SampleBank, render_notes

PEAK = 0.9
"""Peak level of the finished recording, leaving headroom like a careful home recording."""


@dataclass(frozen=True)
class Room:
    """How the recording room and microphone colour the piano.

    Attributes:
        rt60_s: Time for the reverberant tail to decay by 60 dB.
        snr_db: Signal-to-noise ratio of the background noise (hiss and rumble).
        direct_to_reverb_db: Energy of the direct sound over that of the tail.
        seed: Seeds the reflections and noise, so a rendering is reproducible.
    """

    rt60_s: float = 0.6
    snr_db: float = 35.0
    direct_to_reverb_db: float = 3.0
    seed: int = 0


def impulse_response(room: Room, rate_hz: int = RATE_HZ) -> np.ndarray:
    """A room's impulse response: direct sound, early reflections, a decaying noise tail."""
    rng = np.random.default_rng(room.seed)
    length = int(room.rt60_s * 1.2 * rate_hz)
    ir = np.zeros(length, dtype=np.float64)
    ir[0] = 1.0
    # Early reflections off walls, floor and lid: 5-45 ms, each weaker than the last.
    for delay_s in np.sort(rng.uniform(0.005, 0.045, size=8)):
        ir[int(delay_s * rate_hz)] += rng.uniform(0.15, 0.45) * np.exp(-delay_s / 0.05)
    t = np.arange(length) / rate_hz
    tail = rng.standard_normal(length) * np.exp(-6.91 * t / room.rt60_s)
    tail[: int(0.02 * rate_hz)] = 0.0  # the diffuse tail builds up after the first reflections
    # Walls absorb highs more than lows: a gentle low-pass makes the tail darker.
    b, a = signal.butter(1, 4000.0, fs=rate_hz)
    tail = signal.lfilter(b, a, tail)
    direct_energy = float(np.sum(ir**2))
    tail *= np.sqrt(direct_energy / np.sum(tail**2) / 10 ** (room.direct_to_reverb_db / 10))
    return (ir + tail).astype(np.float32)


def _background(length: int, rng: np.random.Generator, rate_hz: int) -> np.ndarray:
    """Hiss plus low rumble, as a room and a cheap microphone preamp add."""
    hiss = rng.standard_normal(length)
    b, a = signal.butter(2, 150.0, fs=rate_hz)
    rumble = signal.lfilter(b, a, rng.standard_normal(length))
    rumble *= np.std(hiss) / max(float(np.std(rumble)), 1e-12)
    return (0.7 * hiss + 0.3 * rumble).astype(np.float64)


def in_room(dry: np.ndarray, room: Room, rate_hz: int = RATE_HZ) -> np.ndarray:
    """Reverberate `dry`, add noise at the room's SNR and normalise the peak.

    Returns:
        Mono float32 samples, as long as `dry`.
    """
    wet = signal.fftconvolve(dry.astype(np.float64), impulse_response(room, rate_hz))[: len(dry)]
    rng = np.random.default_rng(room.seed + 1)
    noise = _background(len(wet), rng, rate_hz)
    # SNR against the level while the piano plays, not against the silent edges.
    playing = np.abs(wet) > 1e-3 * np.max(np.abs(wet))
    signal_power = float(np.mean(wet[playing] ** 2))
    noise *= np.sqrt(signal_power / np.mean(noise**2) / 10 ** (room.snr_db / 10))
    out = wet + noise
    return (PEAK * out / np.max(np.abs(out))).astype(np.float32)


def write_wav(samples: np.ndarray, path: Path, rate_hz: int = RATE_HZ) -> Path:
    """Write mono samples as a 16-bit WAV file and return `path`."""
    sf.write(path, samples, rate_hz, subtype="PCM_16")
    return path


def recital_room(index: int) -> Room:
    """The room of the `index`-th recital piece: rooms from dry to live, noise 30-40 dB."""
    rt60_s = (0.4, 0.5, 0.6, 0.7, 0.8)[index % 5]
    snr_db = (40.0, 35.0, 30.0)[index % 3]
    return Room(rt60_s=rt60_s, snr_db=snr_db, seed=100 + index)


def record_piece(
    notes: Sequence[ScoreNote],
    room: Room,
    wav_path: Path,
    bank: SampleBank | None = None,
    pedals: Sequence[ScorePedal] = (),
) -> Path:
    """Play `notes` (with the sustain `pedals`) on the sampled grand in `room`; write the WAV."""
    return write_wav(in_room(render_notes(notes, bank, pedals=pedals), room), wav_path)
