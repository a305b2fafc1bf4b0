"""What the sustain pedal adds to a piano's sound besides longer notes: the open strings ring.

With the dampers lifted, every string is free to vibrate in sympathy with what is played
(its partials coincide with partials of the notes), which gives a pedalled piano its
bloom; when the pedal lifts, the dampers stop all of it. A bank of resonators, one per
string, stands in for the strings. Pressing the pedal is heard at once: the damper felts
rub every string as they lift (the "swoosh" piano technicians know, louder with close
microphones), so all the open strings start ringing softly together, and the pedal's
trapwork makes a soft thump.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.signal import lfilter

from transcriber.domain import midi_to_hz
from transcriber.evaluation.pieces import ScorePedal

STRING_DECAY_S = 1.6
"""Time constant of an open string's sympathetic ring."""
DAMPED_S = 0.08
"""Time constant of the ring once the dampers are back on the strings."""
RESONANCE_LEVEL = 1.0
"""Level of the sympathetic ring relative to what is played while the pedal is down."""
THUMP_LEVEL = 0.15
THUMP_S = 0.04
SWOOSH_LEVEL = 0.05
"""Peak of the strings' ring from the felts' rub, relative to the playing's peak (-26 dB)."""
SWOOSH_S = 0.05
"""How long the felts take to leave the strings."""
_LOWEST, _HIGHEST = 21, 88
"""Strings with dampers (the top ones ring anyway)."""


def _strings(excitation: np.ndarray, rate_hz: int) -> np.ndarray:
    """The open strings' response to ``excitation``: one two-pole resonator per string."""
    r = float(np.exp(-1.0 / (STRING_DECAY_S * rate_hz)))
    out = np.zeros(len(excitation), dtype=np.float64)
    for pitch in range(_LOWEST, _HIGHEST + 1):
        w = 2 * np.pi * midi_to_hz(pitch) / rate_hz
        out += lfilter([1.0 - r], [1.0, -2.0 * r * np.cos(w), r * r], excitation)
    return out


def _thump(rate_hz: int, rng: np.random.Generator) -> np.ndarray:
    """The felt and trapwork of the pedal mechanism: a short, dull knock."""
    n = int(THUMP_S * rate_hz)
    noise = rng.standard_normal(n)
    dull = lfilter([0.02], [1.0, -0.98], noise)
    return np.asarray(dull * np.hanning(n), dtype=np.float64)


def _swoosh(length: int, rate_hz: int, rng: np.random.Generator) -> np.ndarray:
    """The open strings' ring after the felts rub them on the way up, peak 1, ``length`` long."""
    n = min(length, int(SWOOSH_S * rate_hz))
    rub = np.zeros(length)
    rub[:n] = rng.standard_normal(n) * np.hanning(n)
    ring = _strings(rub, rate_hz)
    return ring / (float(np.max(np.abs(ring))) or 1.0)


def add_pedal_resonance(
    mix: np.ndarray, pedals: Sequence[ScorePedal], rate_hz: int, seed: int = 0
) -> np.ndarray:
    """``mix`` with the sympathetic ring of each pedal span and the pedal's knocks."""
    out = mix.astype(np.float64)
    rng = np.random.default_rng(seed)
    peak = float(np.max(np.abs(mix))) or 1.0
    for pedal in pedals:
        start = int(pedal.start_s * rate_hz)
        end = min(len(mix), int(pedal.end_s * rate_hz))
        if end <= start:
            continue
        tail = min(len(mix) - end, int(6 * DAMPED_S * rate_hz))
        excitation = np.zeros(end - start + tail)
        excitation[: end - start] = mix[start:end]
        ring = _strings(excitation, rate_hz)
        played = float(np.sqrt(np.mean(mix[start:end] ** 2))) or 1.0
        heard = float(np.sqrt(np.mean(ring[: end - start] ** 2))) or 1.0
        ring *= RESONANCE_LEVEL * played / heard
        ring += SWOOSH_LEVEL * peak * _swoosh(len(ring), rate_hz, rng)
        ring[end - start :] *= np.exp(-np.arange(tail) / (DAMPED_S * rate_hz))
        out[start : end + tail] += ring
        knock = THUMP_LEVEL * peak * _thump(rate_hz, rng)
        out[start : start + len(knock)] += knock[: len(out) - start]
    return out.astype(np.float32)
