"""Cut audio into overlapping model windows and stitch window outputs back together."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from transcriber.models.basic_pitch import constants as c


@dataclass(frozen=True)
class WindowPlan:
    """How a recording of `n_samples` maps onto model windows and output frames.

    Attributes:
        n_samples: Length of the recording at the model rate.
        n_windows: Number of windows the recording is cut into.
        n_frames: Number of output frames kept after stitching.
    """

    n_samples: int
    n_windows: int
    n_frames: int

    @property
    def frames_kept_per_window(self) -> int:
        """Frames each window contributes once half the overlap is trimmed on each side."""
        return c.WINDOW_FRAMES - c.OVERLAP_FRAMES


def plan_windows(n_samples: int) -> WindowPlan:
    """Plan the windows for a recording.

    The recording is preceded by half an overlap of silence so the first frames are centred
    like all others; windows then start every `WINDOW_HOP_SAMPLES` samples.

    Args:
        n_samples: Number of samples at 22.05 kHz.

    Returns:
        The window plan.
    """
    padded = n_samples + c.OVERLAP_SAMPLES // 2
    n_windows = max(1, -(-padded // c.WINDOW_HOP_SAMPLES))
    n_frames = int(np.floor(n_samples * (c.FRAMES_PER_SECOND / c.SAMPLE_RATE_HZ)))
    return WindowPlan(n_samples=n_samples, n_windows=n_windows, n_frames=n_frames)


def iter_window_batches(
    audio: np.ndarray, plan: WindowPlan, batch_size: int
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield `(first_window_index, windows)` batches of shape (batch, WINDOW_SAMPLES).

    Only one batch is materialised at a time, which keeps memory flat for long recordings.

    Args:
        audio: Mono float32 audio at 22.05 kHz.
        plan: The plan returned by `plan_windows(len(audio))`.
        batch_size: Maximum windows per batch.
    """
    lead = c.OVERLAP_SAMPLES // 2
    for first in range(0, plan.n_windows, batch_size):
        count = min(batch_size, plan.n_windows - first)
        batch = np.zeros((count, c.WINDOW_SAMPLES), dtype=np.float32)
        for row in range(count):
            # Window start in the lead-padded signal, mapped back to the unpadded one.
            start = (first + row) * c.WINDOW_HOP_SAMPLES - lead
            src_lo = max(start, 0)
            src_hi = min(start + c.WINDOW_SAMPLES, len(audio))
            if src_hi > src_lo:
                batch[row, src_lo - start : src_hi - start] = audio[src_lo:src_hi]
        yield first, batch


def stitch_into(target: np.ndarray, first_window: int, window_outputs: np.ndarray) -> None:
    """Copy the centre frames of consecutive window outputs into the full-length matrix.

    Args:
        target: Output matrix (n_frames, bins), filled in place.
        first_window: Index of the first window in `window_outputs`.
        window_outputs: Array (windows, WINDOW_FRAMES, bins).
    """
    trim = c.OVERLAP_FRAMES // 2
    kept = c.WINDOW_FRAMES - c.OVERLAP_FRAMES
    centre = window_outputs[:, trim : c.WINDOW_FRAMES - trim]
    flat = centre.reshape(-1, centre.shape[-1])
    lo = first_window * kept
    hi = min(lo + len(flat), len(target))
    if hi > lo:
        target[lo:hi] = flat[: hi - lo]
