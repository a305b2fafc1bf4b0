"""Playback controls: play/stop, tempo, metre, practice speed, metronome, loop, volume, mixer."""

# mypy types @rx.event handlers as the EventNamespace decorator; binding arguments by
# calling them is how Reflex works, hence the "operator" ignores below.
from typing import Any

import reflex as rx

from keycraft.components.editor.meter_control import meter_control, meter_control_shown
from keycraft.components.page_a11y import slider_name
from keycraft.components.piano_roll import transport_action
from keycraft.components.recorder import midi_recorder
from keycraft.components.select_menu import select_menu
from keycraft.state.editor import EditorState
from keycraft.state.editor_fields import TIME_SIGNATURE_OPTIONS
from keycraft.state.editor_view import EditorViewState


def _labelled(label: str, control: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", color_scheme="gray"), control, align="center", spacing="1"
    )


def _map_note(note: rx.Var[str], test_id: str) -> rx.Component:
    """A hint beside tempo or metre when the piece changes them later ('' shows nothing)."""
    return rx.cond(note != "", rx.text(note, size="1", color_scheme="gray", data_testid=test_id))


def _loop_bar_input(value: rx.Var[str], on_blur: Any, label: str, test_id: str) -> rx.Component:
    # Keyed on the value so a loop drawn on the ruler replaces what is shown (and on a revision
    # that puts it back after a typo); typing is read on blur: a bar ("3") or a bar and beat
    # ("2:3", beat 3 of bar 2).
    return rx.input(
        type="text",
        input_mode="numeric",
        default_value=value,
        key=f"{EditorState.loop_field_revision}-{value}",
        on_blur=on_blur,
        width="4.5rem",
        aria_label=label,
        title="A bar (3) or a bar and beat (3:2)",
        data_testid=test_id,
    )


def _mixer() -> rx.Component:
    return rx.cond(
        EditorState.has_audio,
        rx.hstack(
            _labelled(
                "Notes",
                rx.switch(
                    checked=~EditorState.midi_muted,
                    on_change=lambda on: EditorViewState.set_midi_muted(~on),  # type: ignore[operator]
                    aria_label="Notes audible",
                ),
            ),
            _labelled(
                "Recording",
                rx.switch(
                    checked=~EditorState.audio_muted,
                    on_change=lambda on: EditorViewState.set_audio_muted(~on),  # type: ignore[operator]
                    aria_label="Recording audible",
                    data_testid="audio-audible",
                ),
            ),
            rx.button("Solo notes", size="1", variant="soft", on_click=EditorViewState.solo_midi),
            rx.button(
                "Solo recording", size="1", variant="soft", on_click=EditorViewState.solo_audio
            ),
            spacing="2",
            align="center",
            # On a phone the four don't fit one line.
            wrap="wrap",
        ),
    )


def transport_bar() -> rx.Component:
    """The row of playback controls below the toolbar."""
    return rx.hstack(
        rx.button(
            rx.icon("play", size=16),
            "Play / pause",
            on_click=transport_action("toggle"),
            data_testid="play",
        ),
        rx.button(
            rx.icon("square", size=16),
            "Stop",
            variant="soft",
            on_click=transport_action("stop"),
            data_testid="stop",
        ),
        _labelled(
            "BPM",
            rx.input(
                type="number",
                default_value=EditorState.tempo_bpm.to_string(),
                key=EditorState.load_revision.to_string()
                + EditorState.tempo_bpm.to_string()
                + "-"
                + EditorState.tempo_field_revision.to_string(),
                on_blur=EditorState.set_tempo,
                aria_label="Tempo in BPM",
                min=20,
                max=400,
                step=1,
                width="5rem",
                data_testid="tempo",
            ),
        ),
        _map_note(EditorState.tempo_map_note, "tempo-map-note"),
        # With tracked beats the metre is set by re-reading them ("Tempo & metre").
        rx.cond(
            meter_control_shown(),
            meter_control(),
            rx.hstack(
                _labelled(
                    "Metre",
                    select_menu(
                        TIME_SIGNATURE_OPTIONS,
                        EditorState.time_signature,
                        EditorState.set_time_signature,
                        "time-signature",
                        "Time signature",
                    ),
                ),
                _map_note(EditorState.time_signature_map_note, "time-signature-map-note"),
                align="center",
                spacing="4",
            ),
        ),
        _labelled(
            "Speed",
            select_menu(
                EditorState.practice_speed_options,
                EditorState.practice_speed_label,
                EditorViewState.set_practice_speed,
                "practice-speed",
                "Practice speed: notes and recording together",
            ),
        ),
        _labelled(
            "Metronome",
            rx.switch(
                checked=EditorState.metronome,
                on_change=EditorViewState.set_metronome,
                aria_label="Metronome",
                data_testid="metronome",
            ),
        ),
        _labelled(
            "Loop",
            rx.hstack(
                rx.switch(
                    checked=EditorState.loop_enabled,
                    on_change=EditorViewState.set_loop_enabled,
                    aria_label="Loop",
                    data_testid="loop",
                ),
                _loop_bar_input(
                    EditorState.loop_start_bar,
                    EditorViewState.set_loop_start_bar,
                    "Loop start bar",
                    "loop-start-bar",
                ),
                rx.text("to", size="2"),
                _loop_bar_input(
                    EditorState.loop_end_bar,
                    EditorViewState.set_loop_end_bar,
                    "Loop end bar",
                    "loop-end-bar",
                ),
                align="center",
                spacing="1",
            ),
        ),
        _labelled(
            "Volume",
            rx.slider(
                default_value=[EditorState.volume_db],
                key=EditorState.view_revision.to_string(),
                min=-40,
                max=6,
                step=1,
                on_value_commit=EditorViewState.set_volume_db,
                width="7rem",
                **slider_name("Volume"),
            ),
        ),
        _mixer(),
        midi_recorder(),
        align="center",
        spacing="4",
        wrap="wrap",
        width="100%",
    )
