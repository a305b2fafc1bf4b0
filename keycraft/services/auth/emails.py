"""Email address normalisation and a deliberately small validity check."""

from __future__ import annotations

import re

from keycraft.services.auth.types import InvalidEmail

MAX_EMAIL_CHARS = 320
_SHAPE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")


def normalise_email(raw: str) -> str:
    """Return the stored form of an address (trimmed, lower-cased) or raise ``InvalidEmail``.

    Only the shape is checked; deliverability is proved by the email link, not by a regex.
    """
    email = raw.strip().lower()
    if len(email) > MAX_EMAIL_CHARS or not _SHAPE.match(email) or ".." in email:
        raise InvalidEmail(raw[:40])
    return email
