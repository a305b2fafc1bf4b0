"""The hero's live demo: a transcribed piece playing in the editor's piano roll, read-only.

The roll is the editor's own component with ``read_only`` set. Tone.js arrives with the
page; the piano samples and the recording are fetched only when the visitor presses play.
"""

import reflex as rx

from keycraft.components.piano_roll import piano_roll, transport_action
from keycraft.routes import DEMO_MIDI, DEMO_RECORDING
from keycraft.services.demo_piece import demo_piece
from keycraft.services.notes.key import C_MAJOR, estimate_key
from keycraft.state.demo import DemoState

DEMO_TITLE = "Minuet in G (BWV Anh. 114), bars 1–8"
ROLL_HEIGHT_PX = 280
DEMO_VOLUME_DB = -6.0
"""The editor's default level; the component reads this prop unguarded, so always pass it."""


def _roll() -> rx.Component:
    piece = demo_piece()
    estimate = estimate_key(piece.notes)
    # The box keeps the roll's place while its script loads, so nothing below it jumps.
    return rx.box(
        piano_roll(
            notes_json=piece.notes_json(),
            load_revision=1,
            tempo_bpm=piece.tempo_bpm,
            beats_per_bar=piece.beats_per_bar,
            beat_unit=4,
            # Names spelled as the minuet's key writes them (F♯ in G major).
            key_name=(estimate.key if estimate else C_MAJOR).key_id,
            snap_ticks=0,
            volume_db=DEMO_VOLUME_DB,
            # The piece loops (recording included) until the visitor pauses or stops it.
            loop_enabled=True,
            loop_start_tick=0,
            loop_end_tick=piece.loop_end_tick,
            audio_url=DEMO_RECORDING,
            midi_muted=DemoState.midi_muted,
            audio_muted=DemoState.audio_muted,
            height_px=ROLL_HEIGHT_PX,
            read_only=True,
            # The whole piece at a glance, on a phone as on a desktop.
            fit_to_notes=True,
        ),
        width="100%",
        min_height=f"{ROLL_HEIGHT_PX}px",
        data_testid="demo-roll",
    )


def _source_choice() -> rx.Component:
    return rx.hstack(
        rx.text("Hear", size="2", color_scheme="gray", id="demo-source-label"),
        rx.segmented_control.root(
            rx.segmented_control.item("The recording", value="recording"),
            rx.segmented_control.item("The notes", value="notes"),
            value=DemoState.source,
            on_change=DemoState.set_source,
            size="1",
            aria_labelledby="demo-source-label",
            data_testid="demo-source",
        ),
        align="center",
        spacing="2",
    )


def _controls() -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("play", size=16, aria_hidden="true"),
            "Play / pause",
            size="2",
            on_click=transport_action("toggle"),
            data_testid="demo-play",
        ),
        rx.button(
            rx.icon("square", size=16, aria_hidden="true"),
            "Stop",
            size="2",
            variant="soft",
            on_click=transport_action("stop"),
            data_testid="demo-stop",
        ),
        _source_choice(),
        align="center",
        spacing="3",
        wrap="wrap",
    )


def _caption() -> rx.Component:
    piece = demo_piece()
    return rx.hstack(
        rx.text(
            f"{len(piece.notes)} notes · {piece.bars} bars · 3/4, written down by our "
            "transcriber from the recording",
            size="1",
            color_scheme="gray",
        ),
        rx.spacer(),
        rx.link(
            rx.hstack(
                rx.icon("download", size=14, aria_hidden="true"),
                rx.text("MIDI", size="1"),
                spacing="1",
                align="center",
            ),
            href=DEMO_MIDI,
            download="minuet-in-g-transcribed.mid",
            is_external=True,
        ),
        width="100%",
        align="center",
    )


def demo_piece_card() -> rx.Component:
    """The demo card: title, the playing roll, its controls, and the MIDI it shows."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("music", size=18, aria_hidden="true"),
                rx.text(DEMO_TITLE, weight="medium", size="2"),
                align="center",
                spacing="2",
            ),
            _roll(),
            _controls(),
            _caption(),
            spacing="3",
            width="100%",
        ),
        size="2",
        width="100%",
        min_width="0",
        role="region",
        aria_label=f"Live demo: {DEMO_TITLE}, transcribed",
    )
