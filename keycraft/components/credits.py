"""The credit the grand piano's CC-BY 3.0 licence asks for, shown wherever the piano plays."""

import reflex as rx

PIANO_SOUND_CREDIT = "Piano sound: Salamander Grand Piano by Alexander Holm, CC-BY 3.0"
"""The attribution, word for word (README.md and tools/grand-piano/README.md say the same)."""
CC_BY_3_URL = "https://creativecommons.org/licenses/by/3.0/"


def piano_sound_credit() -> rx.Component:
    """One small grey line crediting the samples, its licence name linking to the licence."""
    author, licence = PIANO_SOUND_CREDIT.rsplit(", ", 1)
    return rx.text(
        f"{author}, ",
        rx.link(licence, href=CC_BY_3_URL, is_external=True, color_scheme="gray"),
        size="1",
        color_scheme="gray",
        data_testid="piano-sound-credit",
    )
