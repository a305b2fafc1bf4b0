"""Home features grid."""

import reflex as rx

FEATURES: tuple[tuple[str, str, str], ...] = (
    ("audio-lines", "Audio to MIDI", "A fast general model, or an accurate piano-only model."),
    ("piano", "Piano-roll editor", "Draw, move, resize and quantize notes; undo anything."),
    ("play", "Play it back", "Sampled piano playback, in sync with your original recording."),
    ("download", "Download MIDI", "Take your notes to any DAW, notation app or keyboard."),
)
"""(icon, title, text) for each feature card; static, so a module constant."""


def _card(icon: str, title: str, text: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.center(
                rx.icon(icon, size=22, aria_hidden="true"),
                width="2.75rem",
                height="2.75rem",
                border_radius="var(--radius-3)",
                background="var(--accent-a3)",
                color="var(--accent-11)",
            ),
            rx.heading(title, as_="h3", size="4"),
            rx.text(text, color_scheme="gray"),
            spacing="2",
        ),
        size="3",
    )


def features() -> rx.Component:
    """Feature cards."""
    return rx.el.section(
        rx.heading("Everything a learner needs", as_="h2", size="7", margin_bottom="1.5rem"),
        rx.grid(
            *[_card(*feature) for feature in FEATURES],
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
        ),
        id="features",
        padding_y="2.5rem",
        scroll_margin_top="1rem",
    )
