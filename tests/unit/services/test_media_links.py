"""Media link tokens: what is signed verifies; any change, another secret or time breaks it."""

import base64
from urllib.parse import unquote

import pytest

from keycraft.services.errors import ExpiredMediaLink, InvalidMediaLink
from keycraft.services.storage.media_links import (
    MediaLink,
    MediaLinkSigner,
    ascii_filename,
    attachment_disposition,
)

LINK = MediaLink(key="users/u1/projects/p1/out.mid", filename="Étude.mid", expires_at_epoch_s=1000)


def test_a_signed_link_verifies_before_its_expiry() -> None:
    signer = MediaLinkSigner(b"secret")
    assert signer.verify(signer.sign(LINK), now_epoch_s=999.9) == LINK


def test_a_link_is_expired_at_and_after_its_expiry_time() -> None:
    signer = MediaLinkSigner(b"secret")
    token = signer.sign(LINK)
    for now in (1000, 5000):
        with pytest.raises(ExpiredMediaLink):
            signer.verify(token, now_epoch_s=now)


def test_another_secret_does_not_verify() -> None:
    token = MediaLinkSigner(b"secret").sign(LINK)
    with pytest.raises(InvalidMediaLink):
        MediaLinkSigner(b"other").verify(token, now_epoch_s=0)


@pytest.mark.parametrize("position", [0, 5, 20, -1, -5])
def test_changing_any_character_breaks_the_signature(position: int) -> None:
    signer = MediaLinkSigner(b"secret")
    token = signer.sign(LINK)
    changed = "A" if token[position] != "A" else "B"
    tampered = (
        token[:position] + changed + token[position + 1 :]
        if position != -1
        else (token[:-1] + changed)
    )
    with pytest.raises(InvalidMediaLink):
        signer.verify(tampered, now_epoch_s=0)


def test_the_token_reveals_no_key_filename_or_id() -> None:
    # Ids as long as real ones: a two-letter id would turn up in random ciphertext now and then.
    link = MediaLink(
        key="users/9f3c2a7b41d84e0f/projects/5be81c0d9a7f4e62/out.mid",
        filename="Étude.mid",
        expires_at_epoch_s=1000,
    )
    token = MediaLinkSigner(b"secret").sign(link)
    decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    for visible in (link.key, link.filename, *link.key.split("/")):
        assert visible not in token and visible.encode() not in decoded


def test_the_same_link_signed_twice_gives_different_tokens() -> None:
    signer = MediaLinkSigner(b"secret")
    assert signer.sign(LINK) != signer.sign(LINK)


@pytest.mark.parametrize("token", ["", ".", "abc", "abc.", "é.é", "a.b.c"])
def test_malformed_tokens_are_invalid(token: str) -> None:
    with pytest.raises(InvalidMediaLink):
        MediaLinkSigner(b"secret").verify(token, now_epoch_s=0)


def test_attachment_disposition_has_an_ascii_fallback_and_the_utf8_name() -> None:
    assert attachment_disposition('Für "Elise".mid') == (
        "attachment; filename=\"Fur _Elise.mid\"; filename*=UTF-8''F%C3%BCr%20%22Elise%22.mid"
    )


@pytest.mark.parametrize(
    ("filename", "fallback"),
    [
        ("Nocturne – Op.9 月光.mid", "Nocturne _ Op.9.mid"),
        ("月光.mid", "download.mid"),
        ("Étude.mid", "Etude.mid"),
        ("plain", "plain"),
    ],
)
def test_any_filename_gets_an_ascii_header(filename: str, fallback: str) -> None:
    header = attachment_disposition(filename)
    header.encode("ascii")  # HTTP servers, S3 and CloudFront pass it on unchanged
    assert ascii_filename(filename) == fallback
    assert f'filename="{fallback}"' in header
    assert unquote(header.split("filename*=UTF-8''")[1]) == filename
