"""Home 'how it works' steps."""

import reflex as rx

STEPS: tuple[tuple[str, str], ...] = (
    ("Record or upload", "WAV, MP3, FLAC, OGG or M4A, up to 100 MB."),
    ("Transcribe", "We turn the audio into notes in seconds to minutes."),
    ("Fix and play", "Correct any note in the piano roll while listening."),
    ("Download", "Export a standard MIDI file."),
)


def how_it_works() -> rx.Component:
    """Numbered steps from recording to MIDI."""
    return rx.box(
        rx.heading("How it works", as_="h2", size="7", margin_bottom="1.5rem"),
        rx.el.ol(
            *[
                rx.el.li(
                    rx.hstack(
                        rx.badge(str(number), size="3", radius="full"),
                        rx.vstack(
                            rx.text(title, weight="bold"),
                            rx.text(text, color_scheme="gray"),
                            spacing="1",
                        ),
                        align="start",
                        spacing="3",
                    ),
                    list_style="none",
                )
                for number, (title, text) in enumerate(STEPS, start=1)
            ],
            display="grid",
            gap="1.25rem",
            padding="0",
        ),
        id="how-it-works",
        padding_y="2rem",
    )
