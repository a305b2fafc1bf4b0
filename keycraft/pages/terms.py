"""The terms of service."""

import reflex as rx

from keycraft.components.layout import page_layout
from keycraft.components.prose import prose_page

UPDATED = "26 November 2026"

SECTIONS: tuple[tuple[str, str], ...] = (
    (
        "Using KeyCraft",
        "KeyCraft transcribes piano recordings you upload into MIDI, lets you edit and play "
        "the result, and lets you download it. You need an account to save projects.",
    ),
    (
        "Your content",
        "You keep every right to the recordings you upload and the MIDI made from them. You "
        "give us permission to store and process them only to provide the service to you. "
        "Upload only recordings you have the right to use.",
    ),
    (
        "Plans and payment",
        "The free plan includes a monthly number of MIDI downloads. Paid plans are billed in "
        "advance through Stripe, renew automatically and can be cancelled at any time; a "
        "cancelled plan stays active until the end of the period already paid.",
    ),
    (
        "Fair use",
        "Do not try to break, overload or reverse-engineer the service, or use it to process "
        "content that is unlawful. We may suspend accounts that do.",
    ),
    (
        "Transcription accuracy",
        "Automatic transcription makes mistakes. KeyCraft is provided as is, and you are "
        "responsible for checking the MIDI before you rely on it.",
    ),
    (
        "Changes",
        "We may update these terms; the date above shows the current version. Continuing to "
        "use KeyCraft after a change means you accept it.",
    ),
)


def terms_page() -> rx.Component:
    """Render the terms of service."""
    return page_layout(prose_page("Terms of service", UPDATED, *SECTIONS))
