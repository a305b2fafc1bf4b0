"""The performance's main beat period, from the autocorrelation of its onset envelope."""

from __future__ import annotations

import numpy as np

from transcriber.rhythm.onsets import FRAME_RATE_HZ

MIN_BPM = 40.0
MAX_BPM = 200.0
PRIOR_BPM = 90.0
"""Most piano music is counted near this tempo; it settles which level is the beat."""
_PRIOR_OCTAVES = 0.8


def beat_period_frames(onset_envelope: np.ndarray) -> float:
    """The most likely beat period, in frames of the envelope.

    The autocorrelation is weighted by a log-normal prior on the tempo, so that of the
    periodicities a piece has (eighths, beats, bars) the one a musician counts wins.
    """
    lags = np.arange(int(FRAME_RATE_HZ * 60.0 / MAX_BPM), int(FRAME_RATE_HZ * 60.0 / MIN_BPM) + 1)
    centred = onset_envelope - onset_envelope.mean()
    spectrum = np.fft.rfft(centred, n=2 * len(centred))
    acf = np.fft.irfft(spectrum * np.conj(spectrum))[: len(centred)]
    if acf[0] <= 0:
        return float(FRAME_RATE_HZ * 60.0 / PRIOR_BPM)
    acf = acf / acf[0]
    lags = lags[lags < len(acf)]
    if len(lags) == 0:
        return float(FRAME_RATE_HZ * 60.0 / PRIOR_BPM)
    bpm = FRAME_RATE_HZ * 60.0 / lags
    prior = np.exp(-0.5 * (np.log2(bpm / PRIOR_BPM) / _PRIOR_OCTAVES) ** 2)
    score = np.maximum(acf[lags], 0.0) * prior
    best = int(np.argmax(score))
    return float(_refine(acf, int(lags[best])))


def _refine(acf: np.ndarray, lag: int) -> float:
    """A parabola through the peak and its neighbours places it between frames."""
    if lag <= 0 or lag + 1 >= len(acf):
        return float(lag)
    left, mid, right = acf[lag - 1], acf[lag], acf[lag + 1]
    denom = left - 2 * mid + right
    if denom >= 0:
        return float(lag)
    return float(lag + 0.5 * (left - right) / denom)
