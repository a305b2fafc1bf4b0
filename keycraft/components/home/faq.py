"""Frequently asked questions, as native disclosure widgets (keyboard accessible, no JS)."""

import reflex as rx

QUESTIONS: tuple[tuple[str, str], ...] = (
    (
        "What recordings work best?",
        "Solo piano, recorded close to the instrument with little background noise. Phone "
        "recordings work; a quiet room matters more than the microphone.",
    ),
    (
        "How accurate is the transcription?",
        "Clean solo piano comes out mostly right; fast passages, heavy pedal and other "
        "instruments cause mistakes. That is why every transcription opens in the editor.",
    ),
    (
        "Which file formats can I upload and download?",
        "Record in the browser, or upload WAV, MP3, FLAC, OGG, M4A or WebM up to 100 MB. You "
        "download a standard MIDI file that opens in any DAW, notation app or digital piano.",
    ),
    (
        "What does the free plan include?",
        "Transcription, the editor and playback, plus a monthly number of MIDI downloads. "
        "The pricing section shows the current limits.",
    ),
    (
        "Who can hear my recordings?",
        "Only you. Recordings and MIDI files are private to your account and deleted when "
        "you delete the project or your account.",
    ),
)
"""(question, answer) pairs, in display order."""


def _question(question: str, answer: str) -> rx.Component:
    return rx.el.details(
        rx.el.summary(
            rx.text(question, weight="medium", as_="span"),
            cursor="pointer",
            padding_y="0.75rem",
        ),
        rx.text(answer, color_scheme="gray", padding_bottom="0.75rem"),
        border_bottom="1px solid var(--gray-a5)",
    )


def faq() -> rx.Component:
    """Questions and answers."""
    return rx.el.section(
        rx.heading("Questions", as_="h2", size="7", margin_bottom="1rem"),
        rx.box(*[_question(q, a) for q, a in QUESTIONS], max_width="48rem"),
        id="faq",
        padding_y="2.5rem",
        scroll_margin_top="1rem",
    )
