"""Home 'how it works' steps."""

import reflex as rx

STEPS: tuple[tuple[str, str, str], ...] = (
    ("mic", "Record or upload", "Record in the browser, or upload WAV, MP3, FLAC, OGG or M4A."),
    ("wand-sparkles", "Transcribe", "We turn the audio into notes in seconds to minutes."),
    ("pencil", "Fix and play", "Correct any note in the piano roll while listening."),
    ("download", "Download", "Export a standard MIDI file for any DAW or notation app."),
)
"""(icon, title, text) for each step, in order."""


def _step(number: int, icon: str, title: str, text: str) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.center(
                rx.text(str(number), weight="bold", size="3"),
                width="2.25rem",
                height="2.25rem",
                border_radius="9999px",
                background="var(--accent-a3)",
                color="var(--accent-11)",
                flex_shrink="0",
            ),
            rx.vstack(
                rx.hstack(
                    rx.icon(icon, size=18, aria_hidden="true"),
                    rx.text(title, weight="bold"),
                    spacing="2",
                    align="center",
                ),
                rx.text(text, color_scheme="gray", size="2"),
                spacing="1",
            ),
            align="start",
            spacing="3",
        ),
        list_style="none",
    )


def how_it_works() -> rx.Component:
    """Numbered steps from recording to MIDI."""
    return rx.el.section(
        rx.heading("How it works", as_="h2", size="7", margin_bottom="1.5rem"),
        rx.el.ol(
            *[_step(n, *step) for n, step in enumerate(STEPS, start=1)],
            display="grid",
            grid_template_columns=rx.breakpoints(initial="1fr", sm="1fr 1fr", lg="repeat(4, 1fr)"),
            gap="1.5rem",
            padding="0",
            margin="0",
        ),
        id="how-it-works",
        padding_y="2.5rem",
        scroll_margin_top="1rem",
    )
