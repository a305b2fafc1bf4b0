"""How long a running transcription still needs: from the recording's length, then its parts."""

from __future__ import annotations

REAL_TIME_FACTOR: dict[str, float] = {"basic-pitch": 0.03, "transkun": 1.0}
"""Seconds of work per second of recording on the deployed two cores (docs/jobs.md)."""
DEFAULT_REAL_TIME_FACTOR = 1.0


def remaining_s(
    model: str, duration_s: float, done: int, total: int, running_s: float
) -> float | None:
    """Seconds the transcription still needs, or None when nothing is known yet.

    Before the first part is done, the recording's length times the model's real-time
    factor, less the time already spent; afterwards the time per part so far times the parts
    left.

    Args:
        model: The model's name.
        duration_s: The recording's length (0 when not known yet).
        done: Parts finished.
        total: Parts in all (0 when not known yet).
        running_s: Seconds since this transcription began.
    """
    running_s = max(0.0, running_s)
    if total > 0 and done > 0:
        return running_s / done * max(0, total - done)
    if duration_s > 0:
        factor = REAL_TIME_FACTOR.get(model, DEFAULT_REAL_TIME_FACTOR)
        return max(0.0, duration_s * factor - running_s)
    return None
