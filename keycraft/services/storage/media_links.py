"""Opaque, expiring links to media in the local store (AES-GCM over key, filename, expiry)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from keycraft.services.errors import ExpiredMediaLink, InvalidMediaLink

_PURPOSE = b"keycraft.media-link.v2"
_NONCE_BYTES = 12
_MAX_TOKEN_CHARS = 2000


@dataclass(frozen=True)
class MediaLink:
    """What a download link grants: one object, saved under a filename, until a time."""

    key: str
    filename: str
    expires_at_epoch_s: int


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class MediaLinkSigner:
    """Issues and checks media link tokens with a key derived from the app's secret.

    Tokens are encrypted as well as authenticated: a link in a log, a browser history or a
    referrer shows no user id, project id or file name.
    """

    def __init__(self, secret: bytes) -> None:
        # A purpose-bound sub-key: no other use of the secret can produce or open a link.
        self._aead = AESGCM(hmac.new(secret, _PURPOSE, hashlib.sha256).digest())

    def sign(self, link: MediaLink) -> str:
        """Return a URL-safe, opaque token for ``link``."""
        body = {"k": link.key, "f": link.filename, "e": link.expires_at_epoch_s}
        nonce = os.urandom(_NONCE_BYTES)
        plain = json.dumps(body, separators=(",", ":")).encode("utf-8")
        return _b64encode(nonce + self._aead.encrypt(nonce, plain, _PURPOSE))

    def verify(self, token: str, now_epoch_s: float) -> MediaLink:
        """Return the link in ``token``.

        Raises:
            InvalidMediaLink: The token is malformed or was not issued with this secret.
            ExpiredMediaLink: The token is genuine but the link has expired.
        """
        if not token or len(token) > _MAX_TOKEN_CHARS or not token.isascii():
            raise InvalidMediaLink()
        try:
            raw = _b64decode(token)
        except (ValueError, binascii.Error) as exc:
            raise InvalidMediaLink() from exc
        # Only the canonical spelling counts, so no two strings open the same link.
        if _b64encode(raw) != token or len(raw) <= _NONCE_BYTES:
            raise InvalidMediaLink()
        try:
            plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _PURPOSE)
            body = json.loads(plain)
            link = MediaLink(
                key=str(body["k"]), filename=str(body["f"]), expires_at_epoch_s=int(body["e"])
            )
        except (InvalidTag, ValueError, KeyError, TypeError) as exc:
            raise InvalidMediaLink() from exc
        if now_epoch_s >= link.expires_at_epoch_s:
            raise ExpiredMediaLink()
        return link


def ascii_filename(filename: str) -> str:
    """An ASCII stand-in for ``filename``, for clients that ignore ``filename*``.

    Accented letters lose their accents; any other character without an ASCII form (a
    dash, a quote, a CJK character) becomes ``_``. The extension is kept; a name left
    without letters becomes ``download``.
    """
    chars = []
    for char in filename:
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
        safe = "".join(c for c in plain if c.isprintable() and c not in '"\\')
        chars.append(safe or "_")
    stem, dot, suffix = re.sub(r"_{2,}", "_", "".join(chars)).rpartition(".")
    if not dot:
        stem, suffix = suffix, ""
    stem = stem.strip(" _.") or "download"
    return f"{stem}.{suffix}" if suffix else stem


def attachment_disposition(filename: str) -> str:
    """``Content-Disposition`` that saves as ``filename`` (RFC 6266 with RFC 5987's UTF-8 form).

    The header itself is pure ASCII, so it passes through S3's and CloudFront's
    ``response-content-disposition`` and any HTTP server unchanged.
    """
    fallback = ascii_filename(filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
