"""Audio → MIDI panel: model, knobs, upload with progress and cancel, re-transcribe."""

# mypy types @rx.event handlers as the EventNamespace decorator; binding arguments by
# calling them is how Reflex works, hence the "operator" ignores below.
import reflex as rx

from keycraft.components.file_picker import file_picker
from keycraft.components.select_menu import select_menu
from keycraft.services.transcription import MAX_AUDIO_BYTES
from keycraft.state.editor import EditorState
from keycraft.state.transcription import (
    AUDIO_UPLOAD_ID,
    FAILED,
    MODEL_OPTIONS,
    TranscriptionState,
)

AUDIO_ACCEPT = {
    "audio/wav": [".wav"],
    "audio/x-wav": [".wav"],
    "audio/mpeg": [".mp3"],
    "audio/flac": [".flac"],
    "audio/ogg": [".ogg"],
    "audio/mp4": [".m4a"],
    "audio/x-m4a": [".m4a"],
}


def _knobs() -> rx.Component:
    return rx.hstack(
        rx.hstack(
            rx.text("Model", size="2", color_scheme="gray"),
            select_menu(
                list(MODEL_OPTIONS),
                TranscriptionState.model_label,
                TranscriptionState.set_model_label,
                "transcribe-model",
                "Transcription model",
            ),
            align="center",
            spacing="1",
        ),
        rx.hstack(
            rx.text("Onset", size="2", color_scheme="gray"),
            rx.slider(
                default_value=[0.5],
                min=0.05,
                max=0.95,
                step=0.05,
                on_value_commit=TranscriptionState.set_onset_threshold,
                width="6rem",
                aria_label="Onset threshold",
            ),
            rx.text(TranscriptionState.onset_threshold, size="2"),
            align="center",
            spacing="1",
        ),
        rx.hstack(
            rx.text("Frame", size="2", color_scheme="gray"),
            rx.slider(
                default_value=[0.3],
                min=0.05,
                max=0.95,
                step=0.05,
                on_value_commit=TranscriptionState.set_frame_threshold,
                width="6rem",
                aria_label="Frame threshold",
            ),
            rx.text(TranscriptionState.frame_threshold, size="2"),
            align="center",
            spacing="1",
        ),
        rx.hstack(
            rx.text("Shortest note (ms)", size="2", color_scheme="gray"),
            rx.input(
                type="number",
                value=TranscriptionState.min_note_ms.to_string(),
                on_change=TranscriptionState.set_min_note_ms,
                min=10,
                max=2000,
                width="5rem",
            ),
            align="center",
            spacing="1",
        ),
        spacing="4",
        align="center",
        wrap="wrap",
    )


def _progress() -> rx.Component:
    return rx.hstack(
        rx.cond(TranscriptionState.busy, rx.spinner(size="2")),
        rx.text(
            TranscriptionState.status_text,
            size="2",
            color_scheme=rx.cond(TranscriptionState.status == FAILED, "red", "gray"),
            data_testid="transcription-status",
        ),
        rx.cond(
            TranscriptionState.busy,
            rx.hstack(
                rx.progress(value=TranscriptionState.upload_percent, width="8rem"),
                rx.button(
                    "Cancel",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=TranscriptionState.cancel,
                    data_testid="cancel-transcription",
                ),
                align="center",
                spacing="2",
            ),
        ),
        align="center",
        spacing="2",
    )


def _upload_button() -> rx.Component:
    return file_picker(
        "Transcribe a recording",
        "audio-lines",
        AUDIO_UPLOAD_ID,
        "upload-audio",
        TranscriptionState.receive_audio(  # type: ignore[operator]
            rx.upload_files(
                upload_id=AUDIO_UPLOAD_ID,
                on_upload_progress=TranscriptionState.upload_progress,  # type: ignore[arg-type]
            )
        ),
        AUDIO_ACCEPT,
        MAX_AUDIO_BYTES,
    )


def transcription_panel() -> rx.Component:
    """Upload a recording to get a new project (project list and editor)."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("audio-waveform", size=18),
                rx.text("Audio → MIDI", weight="bold"),
                rx.text(
                    "WAV, MP3, FLAC, OGG or M4A up to 100 MB. The result opens as a new project.",
                    size="2",
                    color_scheme="gray",
                ),
                align="center",
                spacing="2",
                wrap="wrap",
            ),
            _knobs(),
            rx.hstack(_upload_button(), _progress(), align="center", spacing="3", wrap="wrap"),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def retranscribe_panel() -> rx.Component:
    """For a transcribed project: transcribe again with other knobs, only in some bars."""
    return rx.cond(
        EditorState.has_audio,
        rx.card(
            rx.vstack(
                rx.text("Re-transcribe part of the recording", weight="bold"),
                _knobs(),
                rx.hstack(
                    rx.text("Replace notes from bar", size="2"),
                    rx.input(
                        type="number",
                        value=TranscriptionState.range_start_bar.to_string(),
                        on_change=TranscriptionState.set_range_start_bar,
                        min=1,
                        width="4rem",
                        aria_label="Re-transcribe from bar",
                    ),
                    rx.text("up to bar", size="2"),
                    rx.input(
                        type="number",
                        value=TranscriptionState.range_end_bar.to_string(),
                        on_change=TranscriptionState.set_range_end_bar,
                        min=2,
                        width="4rem",
                        aria_label="Re-transcribe up to bar",
                    ),
                    rx.text("(edits elsewhere are kept)", size="2", color_scheme="gray"),
                    rx.button(
                        "Re-transcribe",
                        on_click=TranscriptionState.retranscribe,
                        disabled=TranscriptionState.busy,
                        data_testid="retranscribe",
                    ),
                    _progress(),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        transcription_panel(),
    )
