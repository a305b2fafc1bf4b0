"""The question asked when a new tempo would pull the notes away from the recording."""

import reflex as rx

from keycraft.components.page_a11y import return_focus
from keycraft.state.editor import EditorState
from keycraft.state.editor_view import EditorViewState


def _explanation() -> rx.Component:
    wanted = EditorState.tempo_prompt_bpm.to_string()
    return rx.vstack(
        rx.text(
            "This project plays its recording under the notes. The tempo only changes the "
            "notes: at ",
            wanted,
            " BPM they would no longer line up with the recording, which keeps its own speed.",
        ),
        rx.cond(
            EditorState.tempo_prompt_speed_percent > 0,
            rx.text(
                "To practise slower, slow down both: notes and recording play at ",
                EditorState.tempo_prompt_speed_percent.to_string(),
                "% together, at the same pitch, and the tempo stays ",
                EditorState.tempo_bpm.to_string(),
                " BPM.",
            ),
            rx.text("The practice speed can slow both down to 50%, not speed them up."),
        ),
        spacing="2",
    )


def tempo_prompt_dialog() -> rx.Component:
    """Asks whether to slow notes and recording down together or change the tempo alone."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Change the tempo of the notes only?"),
            rx.dialog.description(_explanation()),
            rx.hstack(
                rx.button(
                    "Cancel", variant="soft", color_scheme="gray", on_click=EditorState.cancel_tempo
                ),
                rx.button(
                    "Change the notes' tempo",
                    variant="soft",
                    on_click=EditorState.confirm_tempo,
                    data_testid="tempo-notes-only",
                ),
                rx.cond(
                    EditorState.tempo_prompt_speed_percent > 0,
                    rx.button(
                        "Slow down both",
                        on_click=EditorViewState.slow_down_both,
                        data_testid="slow-down-both",
                    ),
                ),
                justify="end",
                spacing="2",
                margin_top="1rem",
            ),
            on_close_auto_focus=return_focus(),
            data_testid="tempo-prompt",
        ),
        open=EditorState.tempo_prompt_open,
    )
