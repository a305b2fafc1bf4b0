"""What a learner reads when uploading or transcribing a recording fails."""

from __future__ import annotations

from keycraft.services.errors import DomainError, NotFound
from keycraft.services.transcription.client import (
    AudioRejected,
    AudioTooLarge,
    TranscriberBusy,
    TranscriptionTimedOut,
    UnsupportedAudio,
)
from keycraft.services.transcription.recordings import (
    AudioFileTooLarge,
    EmptyAudioFile,
    UnsupportedAudioFile,
)
from keycraft.state.job_messages import REJECTED_MESSAGES

MESSAGES: dict[type[DomainError], str] = {
    UnsupportedAudioFile: "Choose a WAV, MP3, FLAC, OGG, M4A or WebM file.",
    AudioFileTooLarge: "Recordings can be at most 100 MB.",
    EmptyAudioFile: "That file is empty.",
    AudioTooLarge: "That recording is too large for the transcriber.",
    UnsupportedAudio: "The transcriber could not read that file as audio.",
    TranscriptionTimedOut: "The transcription took too long and was stopped. Try a shorter piece.",
    NotFound: "This project's recording is no longer available.",
}
FALLBACK_MESSAGE = "The transcriber is not available right now. Please try again later."
MINUTES_SPENT_MESSAGE = "Not transcribed: this recording is longer than your minutes left."
TOO_MANY_TRANSCRIPTIONS = (
    "You have started many transcriptions in the last hour. Please try again in {minutes} min."
)


def message_for(error: DomainError) -> str:
    """The sentence a learner reads when a transcription step fails."""
    if isinstance(error, TranscriberBusy):
        return f"The transcriber is busy. Please try again in {error.retry_after_s} seconds."
    if isinstance(error, AudioRejected):
        return REJECTED_MESSAGES.get(error.code, "The transcriber refused that file or setting.")
    return next((m for t, m in MESSAGES.items() if isinstance(error, t)), FALLBACK_MESSAGE)
