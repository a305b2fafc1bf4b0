"""Why a job ended without notes, as stable codes the UI and the API turn into sentences."""

from __future__ import annotations

from keycraft.services.errors import DomainError, NotFound
from keycraft.services.transcription.audio_slice import RangeOutsideRecording, UndecodableRecording
from keycraft.services.transcription.client import (
    AudioRejected,
    AudioTooLarge,
    TranscriptionTimedOut,
    UnsupportedAudio,
)

TOO_LARGE, UNSUPPORTED, TIMEOUT = "audio_too_large", "unsupported_audio", "timeout"
RECORDING_MISSING, PROJECT_GONE, UNAVAILABLE = "recording_missing", "project_gone", "unavailable"
UNDECODABLE, PAST_THE_END = "recording_undecodable", "range_past_end"


class TooManyJobs(DomainError):
    """The user already has as many queued or running transcriptions as allowed."""


class MinutesSpent(DomainError):
    """The recording does not fit in what is left of the month's transcription minutes.

    Attributes:
        used_s: Seconds already reserved in the current window.
        allowance_s: Seconds the plan allows in a window.
        needed_s: Seconds the refused recording needed.
    """

    def __init__(self, used_s: int, allowance_s: int, needed_s: int) -> None:
        super().__init__(f"{used_s}+{needed_s}/{allowance_s}")
        self.used_s = used_s
        self.allowance_s = allowance_s
        self.needed_s = needed_s


def error_code(error: DomainError) -> str:
    """The stored code for an error that ends a job (``AudioRejected`` keeps its own code)."""
    if isinstance(error, AudioRejected):
        return error.code
    if isinstance(error, AudioTooLarge):
        return TOO_LARGE
    if isinstance(error, UnsupportedAudio):
        return UNSUPPORTED
    if isinstance(error, TranscriptionTimedOut):
        return TIMEOUT
    if isinstance(error, NotFound):
        return RECORDING_MISSING
    if isinstance(error, UndecodableRecording):
        return UNDECODABLE
    if isinstance(error, RangeOutsideRecording):
        return PAST_THE_END
    return UNAVAILABLE
