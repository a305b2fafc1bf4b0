"""The interface every transcription model adapter implements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from transcriber.domain import NoteEvent, Transcript, TranscriptionOptions
from transcriber.runtime import Deadline

PartCallback = Callable[[int, int, list[NoteEvent]], None]
"""Told ``(parts_done, parts_total, notes_so_far)`` as a model works through a recording.

It is called once with ``parts_done == 0`` before the first part, then after each part; the
call for the last part carries the final notes. ``notes_so_far`` holds the notes that later
parts can no longer change, sorted by onset. It may raise (e.g. the caller left) to stop.
"""


class TranscriptionModel(Protocol):
    """A loaded model that turns mono audio at its own rate into notes."""

    name: str
    sample_rate_hz: int

    def predict(
        self,
        samples: np.ndarray,
        options: TranscriptionOptions,
        deadline: Deadline,
        on_part: PartCallback | None = None,
    ) -> list[NoteEvent]:
        """Transcribe mono float32 audio sampled at `sample_rate_hz`.

        `on_part`, when given, hears of each part (window batch, segment) as it finishes.

        Raises:
            DeadlineExceeded: If `deadline` expires before the work is done.
        """
        ...

    def transcribe(
        self,
        samples: np.ndarray,
        options: TranscriptionOptions,
        deadline: Deadline,
        on_part: PartCallback | None = None,
    ) -> Transcript:
        """Like `predict`, with the sustain pedal's spans (empty if the model cannot hear it).

        Raises:
            DeadlineExceeded: If `deadline` expires before the work is done.
        """
        ...

    def warm_up(self) -> None:
        """Run a tiny input through the model so the first request is not slow."""
        ...
