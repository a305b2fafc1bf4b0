"""Audio → MIDI panel: model, knobs, upload with progress and cancel, re-transcribe."""

# mypy types @rx.event handlers as the EventNamespace decorator; binding arguments by
# calling them is how Reflex works, hence the "operator" ignores below.
from typing import Any

import reflex as rx

from keycraft.components.file_picker import file_picker, upload_input_id
from keycraft.components.minutes_meter import minutes_meter, minutes_spent_dialog
from keycraft.components.page_a11y import slider_name
from keycraft.components.recorder import audio_recorder
from keycraft.components.replace_dialog import replace_dialog
from keycraft.components.select_menu import select_menu
from keycraft.services.transcription.recordings import MAX_AUDIO_BYTES
from keycraft.state.editor import EditorState
from keycraft.state.jobs import JobsState
from keycraft.state.transcription import AUDIO_UPLOAD_ID, FAILED, TranscriptionState
from keycraft.state.transcription_here import TranscribeHereState
from keycraft.state.transcription_settings import MODEL_OPTIONS

UPLOAD_BUTTON_ID = "upload-audio-button"
"""The upload button, where focus returns after the replace-or-new question."""

AUDIO_ACCEPT = {
    "audio/wav": [".wav"],
    "audio/x-wav": [".wav"],
    "audio/mpeg": [".mp3"],
    "audio/flac": [".flac"],
    "audio/ogg": [".ogg"],
    "audio/mp4": [".m4a"],
    "audio/x-m4a": [".m4a"],
    "audio/webm": [".webm"],
}


def _knob(label: str, *controls: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", color_scheme="gray"), *controls, align="center", spacing="1"
    )


def _threshold(label: str, value: float | rx.Var[float], on_commit: Any) -> rx.Component:
    # State members: mypy sees a float and a namespace where Reflex passes a Var, a handler.
    # The slider starts from the state's value each time it is shown, i.e. after a switch of
    # model has reset the knobs.
    return _knob(
        label,
        rx.slider(
            default_value=[value],
            min=0.05,
            max=0.95,
            step=0.05,
            on_value_commit=on_commit,
            width="6rem",
            **slider_name(f"{label} threshold"),
        ),
        rx.text(value, size="2"),
    )


def _knobs() -> rx.Component:
    return rx.hstack(
        _knob(
            "Model",
            select_menu(
                list(MODEL_OPTIONS),
                TranscriptionState.model_label,
                TranscriptionState.set_model_label,
                "transcribe-model",
                "Transcription model",
            ),
        ),
        # Only the fast model has thresholds; the piano model decodes notes without them.
        rx.cond(
            TranscriptionState.shows_thresholds,
            rx.hstack(
                _threshold(
                    "Onset",
                    TranscriptionState.onset_threshold,
                    TranscriptionState.set_onset_threshold,
                ),
                _threshold(
                    "Frame",
                    TranscriptionState.frame_threshold,
                    TranscriptionState.set_frame_threshold,
                ),
                spacing="4",
                align="center",
                data_testid="threshold-knobs",
            ),
        ),
        _knob(
            "Shortest note (ms)",
            rx.input(
                type="number",
                value=TranscriptionState.min_note_ms.to_string(),
                on_change=TranscriptionState.set_min_note_ms,
                min=10,
                max=2000,
                width="5rem",
                aria_label="Shortest note in milliseconds",
            ),
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


def _upload_button(into_open_project: bool) -> rx.Component:
    files = rx.upload_files(
        upload_id=AUDIO_UPLOAD_ID,
        on_upload_progress=TranscriptionState.upload_progress,  # type: ignore[arg-type]
    )
    receive = (
        TranscribeHereState.receive_audio if into_open_project else TranscriptionState.receive_audio
    )
    return file_picker(
        "Upload a recording",
        "audio-lines",
        AUDIO_UPLOAD_ID,
        "upload-audio",
        receive(files),  # type: ignore[operator]
        AUDIO_ACCEPT,
        MAX_AUDIO_BYTES,
        button_id=UPLOAD_BUTTON_ID,
    )


def _replace_dialog() -> rx.Component:
    return replace_dialog(
        open_=TranscribeHereState.replace_dialog_open,
        title="This project already has notes",
        description=(
            "Replace them with the transcription (Undo brings them back) and keep the "
            "recording with this project, or make a new project of the recording."
        ),
        on_replace=TranscribeHereState.replace_notes,
        on_new_project=TranscribeHereState.add_as_new_project,
        on_cancel=TranscribeHereState.cancel,
        return_focus_id=UPLOAD_BUTTON_ID,
        test_id="transcribe-choice",
    )


def transcription_panel(into_open_project: bool = False) -> rx.Component:
    """Upload a recording: a new project (project list), or the open project's notes (editor)."""
    where = (
        "The notes fill this project."
        if into_open_project
        else "The result opens as a new project."
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("audio-waveform", size=18),
                rx.text("Audio → MIDI", weight="bold"),
                rx.text(
                    "Record here, or upload WAV, MP3, FLAC, OGG, M4A or WebM up to 100 MB. "
                    + where,
                    size="2",
                    color_scheme="gray",
                ),
                align="center",
                spacing="2",
                wrap="wrap",
            ),
            _knobs(),
            rx.hstack(
                _upload_button(into_open_project),
                audio_recorder(
                    max_seconds=TranscriptionState.max_recording_s,
                    upload_input_id=upload_input_id(AUDIO_UPLOAD_ID),
                    disabled=TranscriptionState.busy,
                ),
                _progress(),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            # In the editor the toolbar shows the minutes beside the download meter.
            *([_replace_dialog()] if into_open_project else [minutes_meter()]),
            minutes_spent_dialog(),
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
                        # One job at a time for the open project: its notes land as one edit.
                        disabled=TranscriptionState.busy | JobsState.job_live,
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
        transcription_panel(into_open_project=True),
    )
