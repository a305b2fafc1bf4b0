"""Turn Basic Pitch posteriorgrams into note events (pure NumPy, no model state).

The decoding follows the published Basic Pitch method: onset peaks start notes that last
while the frame activation stays above threshold, then the strongest leftover frame energy is
grown into extra notes ("melodia trick"). Results match the reference implementation exactly;
the leftover search is done with one sort instead of a full-matrix scan per note.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.signal

from transcriber.domain import TranscriptionOptions
from transcriber.models.basic_pitch import constants as c

# A note ends after this many consecutive frames below the frame threshold.
ENERGY_TOLERANCE_FRAMES = 11
ONSET_DIFF_FRAMES = 2
BEND_TOLERANCE_BINS = 25
_BEND_WINDOW = scipy.signal.windows.gaussian(2 * BEND_TOLERANCE_BINS + 1, std=5)
# The reference time grid subtracts this much per 172-frame block; 0.0018 s is its
# empirical alignment constant.
_BLOCK_DRIFT_S = (c.HOP_SAMPLES / c.SAMPLE_RATE_HZ) * (
    c.WINDOW_FRAMES - c.WINDOW_SAMPLES / c.HOP_SAMPLES
) + 0.0018


@dataclass(frozen=True)
class FrameNote:
    """A note on the model's frame grid.

    Attributes:
        start_frame: First frame of the note.
        end_frame: Frame at which the note has ended (exclusive).
        pitch_midi: MIDI key number.
        amplitude: Mean frame activation over the note (0-1).
        bends_third_semitones: Pitch deviation per frame in 1/3-semitone steps, if estimated.
    """

    start_frame: int
    end_frame: int
    pitch_midi: int
    amplitude: float
    bends_third_semitones: tuple[int, ...] | None = None


def min_note_frames(options: TranscriptionOptions) -> int:
    """Convert the minimum note length to output frames, rounding as the reference does."""
    return int(np.round(options.min_note_ms / 1000 * (c.SAMPLE_RATE_HZ / c.HOP_SAMPLES)))


def hz_to_pitch_index(freq_hz: float) -> int:
    """Map a frequency to the nearest column of the 88-key activation matrix."""
    midi = 12.0 * (np.log2(freq_hz) - np.log2(440.0)) + 69.0
    return int(np.round(midi - c.LOWEST_PITCH_MIDI))


def frame_times_s(n_frames: int) -> np.ndarray:
    """Return the time in seconds of each output frame on the reference time grid."""
    index = np.arange(n_frames)
    raw = index * c.HOP_SAMPLES / c.SAMPLE_RATE_HZ
    return raw - _BLOCK_DRIFT_S * np.floor(index / c.WINDOW_FRAMES)


def _limit_frequencies(
    onsets: np.ndarray, frames: np.ndarray, options: TranscriptionOptions
) -> None:
    """Zero the activations outside the requested frequency range, in place."""
    if options.max_freq_hz is not None:
        hi = max(hz_to_pitch_index(options.max_freq_hz), 0)
        onsets[:, hi:] = 0
        frames[:, hi:] = 0
    if options.min_freq_hz is not None:
        lo = max(hz_to_pitch_index(options.min_freq_hz), 0)
        onsets[:, :lo] = 0
        frames[:, :lo] = 0


def _add_inferred_onsets(onsets: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """Raise onsets where frame activation jumps up, scaled to the strongest onset.

    Computed in float64, as the reference does, so that peak picking sees identical values.
    Intermediate results are updated in place to keep long recordings within memory.
    """
    # Rise over 1 and 2 frames, frames before the start counting as silent.
    rise = frames.astype(np.float64)
    rise[1:] -= frames[:-1]
    for lag in range(2, ONSET_DIFF_FRAMES + 1):
        lagged = frames.astype(np.float64)
        lagged[lag:] -= frames[:-lag]
        np.minimum(rise, lagged, out=rise)
        del lagged
    rise[rise < 0] = 0
    rise[:ONSET_DIFF_FRAMES] = 0
    peak_rise = np.max(rise) if rise.size else 0.0
    if peak_rise > 0:
        np.multiply(rise, np.max(onsets), out=rise)
        np.divide(rise, peak_rise, out=rise)
    np.maximum(rise, onsets, out=rise)
    return rise


def _onset_peaks(onsets: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Return (frame, pitch) indices of strict local maxima in time at or above threshold.

    Ordered latest first, and by descending pitch within a frame, as the reference visits them.
    """
    is_peak = np.zeros(onsets.shape, dtype=bool)
    if len(onsets) >= 3:
        centre = onsets[1:-1]
        is_peak[1:-1] = (centre > onsets[:-2]) & (centre > onsets[2:])
    is_peak &= onsets >= threshold
    frame_idx, pitch_idx = np.nonzero(is_peak)
    return frame_idx[::-1], pitch_idx[::-1]


def _clear_neighbourhood(energy: np.ndarray, rows: slice | int, pitch: int) -> None:
    """Zero a pitch and its two neighbours, so harmonics of one note don't start another."""
    energy[rows, max(pitch - 1, 0) : min(pitch + 2, c.N_PITCHES)] = 0


def _notes_from_onsets(
    frames: np.ndarray, onsets: np.ndarray, energy: np.ndarray, options: TranscriptionOptions
) -> list[FrameNote]:
    """Start a note at each onset peak and extend it while the frame energy lasts."""
    n_frames = len(frames)
    threshold = options.frame_threshold
    min_frames = min_note_frames(options)
    notes: list[FrameNote] = []
    starts, pitches = _onset_peaks(onsets, options.onset_threshold)
    for start, pitch in zip(starts.tolist(), pitches.tolist(), strict=True):
        if start >= n_frames - 1:
            continue
        end = start + 1
        quiet = 0
        while end < n_frames - 1 and quiet < ENERGY_TOLERANCE_FRAMES:
            quiet = quiet + 1 if energy[end, pitch] < threshold else 0
            end += 1
        end -= quiet
        if end - start <= min_frames:
            continue
        _clear_neighbourhood(energy, slice(start, end), pitch)
        amplitude = float(np.mean(frames[start:end, pitch]))
        notes.append(FrameNote(start, end, pitch + c.LOWEST_PITCH_MIDI, amplitude))
    return notes


def _grow_leftover_notes(
    frames: np.ndarray, energy: np.ndarray, options: TranscriptionOptions
) -> list[FrameNote]:
    """Grow notes from the strongest remaining energy until none exceeds the threshold.

    Entries only ever change by being zeroed, so visiting the initial above-threshold entries
    in descending order (ties: lowest flat index first) and skipping zeroed ones yields the
    same sequence of maxima as rescanning the whole matrix each time.
    """
    n_frames = len(frames)
    threshold = options.frame_threshold
    min_frames = min_note_frames(options)
    flat = energy.reshape(-1)
    if not np.shares_memory(flat, energy):
        raise ValueError("energy must be C-contiguous")
    candidates = np.flatnonzero(flat > threshold)
    values = flat[candidates]
    order = np.lexsort((candidates, -values))
    candidates, values = candidates[order], values[order]
    notes: list[FrameNote] = []
    pos = 0
    chunk = 512
    while pos < len(candidates):
        block = slice(pos, pos + chunk)
        alive = flat[candidates[block]] == values[block]
        if not alive.any():
            pos += chunk
            continue
        pos += int(np.argmax(alive))
        mid, pitch = divmod(int(candidates[pos]), c.N_PITCHES)
        pos += 1
        energy[mid, pitch] = 0

        end = mid + 1
        quiet = 0
        while end < n_frames - 1 and quiet < ENERGY_TOLERANCE_FRAMES:
            quiet = quiet + 1 if energy[end, pitch] < threshold else 0
            _clear_neighbourhood(energy, end, pitch)
            end += 1
        end = end - 1 - quiet

        start = mid - 1
        quiet = 0
        while start > 0 and quiet < ENERGY_TOLERANCE_FRAMES:
            quiet = quiet + 1 if energy[start, pitch] < threshold else 0
            _clear_neighbourhood(energy, start, pitch)
            start -= 1
        start = start + 1 + quiet

        if end - start <= min_frames:
            continue
        amplitude = float(np.mean(frames[start:end, pitch]))
        notes.append(FrameNote(start, end, pitch + c.LOWEST_PITCH_MIDI, amplitude))
    return notes


def estimate_bends(contour: np.ndarray, note: FrameNote) -> tuple[int, ...]:
    """Estimate a note's pitch deviation per frame from the contour posteriorgram.

    Args:
        contour: Contour activations (n_frames, 264), 3 bins per semitone.
        note: The note whose frames are examined.

    Returns:
        For each frame of the note, the offset in 1/3 semitones of the strongest contour bin
        within +-25 bins of the nominal pitch, weighted by a Gaussian around it.
    """
    tol = BEND_TOLERANCE_BINS
    centre = c.CONTOUR_BINS_PER_SEMITONE * (note.pitch_midi - c.LOWEST_PITCH_MIDI)
    lo = max(centre - tol, 0)
    hi = min(c.N_CONTOUR_BINS, centre + tol + 1)
    right_cut = max(0, centre - (c.N_CONTOUR_BINS - tol - 1))
    window = _BEND_WINDOW[max(0, tol - centre) : len(_BEND_WINDOW) - right_cut]
    weighted = contour[note.start_frame : note.end_frame, lo:hi] * window
    return tuple(int(b) for b in np.argmax(weighted, axis=1) - (centre - lo))


def decode_notes(
    note: np.ndarray,
    onset: np.ndarray,
    contour: np.ndarray | None,
    options: TranscriptionOptions,
    overwrite_input: bool = False,
) -> list[FrameNote]:
    """Decode posteriorgrams into notes.

    Args:
        note: Frame activations (n_frames, 88).
        onset: Onset activations (n_frames, 88).
        contour: Contour activations (n_frames, 264); required when pitch bends are requested.
        options: Post-processing knobs.
        overwrite_input: Allow `note` and `onset` to be modified, saving two copies.

    Returns:
        Notes in discovery order (onset-started notes first, then leftover-energy notes).
    """
    copy = None if overwrite_input else True
    frames = np.array(note, dtype=np.float32, order="C", copy=copy)
    onsets = np.array(onset, dtype=np.float32, order="C", copy=copy)
    if len(frames) == 0:
        return []
    _limit_frequencies(onsets, frames, options)
    boosted = _add_inferred_onsets(onsets, frames)
    # C order matters: the leftover search reads the energy through a flat view.
    energy = np.array(frames, dtype=np.float64, order="C")
    found = _notes_from_onsets(frames, boosted, energy, options)
    found += _grow_leftover_notes(frames, energy, options)
    if options.pitch_bends:
        if contour is None:
            raise ValueError("pitch bends need the contour posteriorgram")
        found = [
            FrameNote(
                n.start_frame, n.end_frame, n.pitch_midi, n.amplitude, estimate_bends(contour, n)
            )
            for n in found
        ]
    return found
