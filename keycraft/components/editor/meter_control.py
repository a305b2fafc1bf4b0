"""The "Tempo & metre" control: how a recording's tracked beats become bars and tempo."""

# mypy types @rx.event handlers as the EventNamespace decorator; binding arguments by
# calling them is how Reflex works, hence the "operator" ignores below.
from typing import cast

import reflex as rx
from reflex.vars.object import ObjectVar

from keycraft.components.select_menu import select_menu
from keycraft.services.notes.beat_map import FOLLOW, ONE_TEMPO
from keycraft.state.editor import EditorState
from keycraft.state.editor_meter import METER_OPTIONS, EditorMeterState

# A dict field reads as an object var at run time; mypy needs telling.
_READING = cast(ObjectVar[dict[str, str]], EditorState.beat_reading)


def _reading() -> rx.Component:
    """The reading in words, with data attributes a check can read without parsing them."""
    return rx.text(
        _READING["description"],
        size="2",
        data_testid="meter-reading",
        data_meter=_READING["meter"],
        data_first_downbeat=_READING["first_downbeat"],
        data_first_downbeat_s=_READING["first_downbeat_s"],
        data_tempo_mode=_READING["tempo_mode"],
        aria_live="polite",
    )


def _first_downbeat() -> rx.Component:
    return rx.vstack(
        rx.text("First downbeat", size="2", weight="medium"),
        rx.hstack(
            rx.button(
                rx.icon("chevron-left", size=14),
                "Earlier",
                size="1",
                variant="soft",
                on_click=EditorMeterState.move_first_downbeat(-1),  # type: ignore[operator]
                aria_label="First downbeat one beat earlier",
                data_testid="downbeat-earlier",
            ),
            rx.button(
                "Later",
                rx.icon("chevron-right", size=14),
                size="1",
                variant="soft",
                on_click=EditorMeterState.move_first_downbeat(1),  # type: ignore[operator]
                aria_label="First downbeat one beat later",
                data_testid="downbeat-later",
            ),
            rx.button(
                rx.icon("hand", size=14),
                "Tap the first downbeat",
                size="1",
                on_click=EditorMeterState.tap_first_downbeat,
                title="Press while the piece plays, or after clicking the ruler there",
                data_testid="tap-downbeat",
            ),
            spacing="2",
            wrap="wrap",
        ),
        rx.text(
            "Or drag the blue flag on the ruler to the beat bar 1 starts on.",
            size="1",
            color_scheme="gray",
            data_testid="downbeat-drag-hint",
        ),
        spacing="1",
    )


def _tempo_mode() -> rx.Component:
    return rx.radio_group.root(
        rx.vstack(
            rx.radio_group.item("Follow the performance", value=FOLLOW),
            rx.radio_group.item("One tempo for the whole piece", value=ONE_TEMPO),
            spacing="1",
        ),
        value=_READING["tempo_mode"],
        on_change=EditorMeterState.set_tempo_mode,
        aria_label="Tempo",
        data_testid="tempo-mode",
    )


def meter_control_shown() -> rx.Var[bool]:
    """Whether the project has tracked beats to read (else the plain metre menu shows)."""
    return _READING["tracked"] != ""


def meter_control() -> rx.Component:
    """A "Tempo & metre" button opening the corrections (for a project with tracked beats)."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("audio-waveform", size=16),
                "Tempo & metre",
                variant="soft",
                aria_description=_READING["description"],
                data_testid="meter-control",
                data_meter=_READING["meter"],
                data_first_downbeat=_READING["first_downbeat"],
                data_tempo_mode=_READING["tempo_mode"],
            ),
        ),
        rx.popover.content(
            rx.vstack(
                rx.heading("Tempo & metre", size="3", as_="h2"),
                _reading(),
                rx.hstack(
                    rx.text("Metre", size="2", weight="medium"),
                    select_menu(
                        METER_OPTIONS,
                        _READING["meter"],
                        EditorMeterState.set_meter,
                        "beat-meter",
                        "Metre of the tracked beats",
                    ),
                    align="center",
                    spacing="2",
                ),
                _first_downbeat(),
                _tempo_mode(),
                spacing="3",
            ),
            aria_label="Tempo & metre",
            max_width="22rem",
            data_testid="meter-panel",
        ),
    )
