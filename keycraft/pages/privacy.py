"""The privacy policy."""

import reflex as rx

from keycraft.components.layout import page_layout
from keycraft.components.prose import prose_page

UPDATED = "26 November 2026"

SECTIONS: tuple[tuple[str, str], ...] = (
    (
        "What we store",
        "Your account (email address, name, a hash of your password if you set one), the "
        "recordings you upload, the MIDI we transcribe from them and the edits you make, your "
        "plan and how many MIDI files you downloaded this month.",
    ),
    (
        "Cookies",
        "kc_session keeps you signed in; it is HttpOnly and holds a random token whose hash "
        "is all we store. kc_vid is a random, anonymous visitor id that keeps the version of a "
        "page you see consistent while we compare two versions of it, and lets us count "
        "which version led to a sign-up or an upgrade. Neither cookie is shared with anyone, "
        "and we use no advertising or third-party tracking cookies.",
    ),
    (
        "Why we use it",
        "To run the service you asked for: transcribe, store, play back and let you download "
        "your music; to bill paid plans through Stripe; and to improve our pages by comparing "
        "versions of them in aggregate.",
    ),
    (
        "Who can see it",
        "Only you can see your recordings and MIDI files. Payment details go to Stripe and "
        "never reach our servers. We do not sell personal data.",
    ),
    (
        "How long we keep it",
        "Recordings and projects stay until you delete them or your account. Deleting your "
        "account deletes your projects, media and sessions. Anonymous experiment counts are "
        "kept in aggregate.",
    ),
    (
        "Your choices",
        "You can download or delete your projects at any time, delete your account from the "
        "account page, and clear the kc_vid cookie in your browser to be treated as a new "
        "visitor.",
    ),
)


def privacy_page() -> rx.Component:
    """Render the privacy policy."""
    return page_layout(prose_page("Privacy policy", UPDATED, *SECTIONS))
