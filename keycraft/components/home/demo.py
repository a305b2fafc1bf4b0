"""The hero's live demo slot: a short piece drawn as a read-only piano roll.

Playback arrives with the editor's read-only piano-roll component; until then the demo
shows the notes and offers the MIDI file itself.
"""

import reflex as rx

from keycraft.routes import DEMO_MIDI
from keycraft.services.demo_piece import RollLane, RollLayout, RollNote, demo_roll

DEMO_TITLE = "Minuet in G (BWV Anh. 114), bars 1–8"


def _lane(lane: RollLane) -> rx.Component:
    return rx.box(
        position="absolute",
        left="0",
        right="0",
        top=f"{lane.top_pct:.3f}%",
        height=f"{lane.height_pct:.3f}%",
        background="var(--gray-a3)" if lane.is_black else "transparent",
    )


def _bar_line(left_pct: float) -> rx.Component:
    return rx.box(
        position="absolute",
        top="0",
        bottom="0",
        left=f"{left_pct:.3f}%",
        width="1px",
        background="var(--gray-a5)",
    )


def _note(note: RollNote) -> rx.Component:
    # Louder notes are more opaque, as in the editor.
    return rx.box(
        position="absolute",
        left=f"{note.left_pct:.3f}%",
        top=f"{note.top_pct:.3f}%",
        width=f"calc({note.width_pct:.3f}% - 2px)",
        height=f"{note.height_pct:.3f}%",
        background="var(--accent-9)",
        opacity=f"{0.55 + 0.45 * note.velocity / 127:.2f}",
        border_radius="3px",
        box_shadow="inset 0 0 0 1px var(--accent-11)",
    )


def _key(lane: RollLane) -> rx.Component:
    return rx.box(
        position="absolute",
        left="0",
        width="62%" if lane.is_black else "100%",
        top=f"{lane.top_pct:.3f}%",
        height=f"{lane.height_pct:.3f}%",
        background="var(--gray-12)" if lane.is_black else "transparent",
        border_radius="0 2px 2px 0",
    )


def _keyboard(layout: RollLayout) -> rx.Component:
    # A narrow keyboard down the side tells the eye that height means pitch.
    return rx.box(
        *[_key(lane) for lane in layout.lanes],
        position="relative",
        width="1.5rem",
        flex_shrink="0",
        background="white",
        border_right="1px solid var(--gray-a6)",
    )


def piano_roll(layout: RollLayout, label: str) -> rx.Component:
    """A static, read-only piano roll (no JavaScript beyond the page's own)."""
    return rx.flex(
        _keyboard(layout),
        rx.box(
            *[_lane(lane) for lane in layout.lanes],
            *[_bar_line(left) for left in layout.bar_lines_pct],
            *[_note(note) for note in layout.notes],
            position="relative",
            flex="1",
        ),
        role="img",
        aria_label=label,
        width="100%",
        aspect_ratio="16 / 9",
        overflow="hidden",
        border_radius="var(--radius-3)",
        background="var(--color-panel-solid)",
        border="1px solid var(--gray-a5)",
        data_testid="demo-roll",
    )


def demo_piece() -> rx.Component:
    """The demo card: title, the roll, and the MIDI file it was drawn from."""
    layout = demo_roll()
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("music", size=18, aria_hidden="true"),
                rx.text(DEMO_TITLE, weight="medium", size="2"),
                align="center",
                spacing="2",
            ),
            piano_roll(layout, f"Piano roll of {DEMO_TITLE}: {len(layout.notes)} notes"),
            rx.hstack(
                rx.text(
                    f"{len(layout.notes)} notes · {len(layout.bar_lines_pct) + 1} bars · 3/4",
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
                    download="minuet-in-g.mid",
                    is_external=True,
                ),
                width="100%",
                align="center",
            ),
            spacing="3",
            width="100%",
        ),
        size="2",
        width="100%",
        aria_label="Live demo",
        as_child=False,
    )
