"""The interface every transcription model adapter implements."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from transcriber.domain import NoteEvent, TranscriptionOptions
from transcriber.runtime import Deadline


class TranscriptionModel(Protocol):
    """A loaded model that turns mono audio at its own rate into notes."""

    name: str
    sample_rate_hz: int

    def predict(
        self, samples: np.ndarray, options: TranscriptionOptions, deadline: Deadline
    ) -> list[NoteEvent]:
        """Transcribe mono float32 audio sampled at `sample_rate_hz`.

        Raises:
            DeadlineExceeded: If `deadline` expires before the work is done.
        """
        ...

    def warm_up(self) -> None:
        """Run a tiny input through the model so the first request is not slow."""
        ...
