"""CloudFront signed URLs: the signature verifies with the public key over the canned policy."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from keycraft.config import Settings
from keycraft.services.storage.cloudfront import CloudFrontUrlSigner
from keycraft.services.storage.s3 import S3Storage
from keycraft.services.storage.s3_factory import cloudfront_signer, s3_storage

EXPIRES = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    """A throwaway RSA key made for this test run (never stored)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _cloudfront_b64decode(text: str) -> bytes:
    # CloudFront's URL-safe alphabet: '+' -> '-', '=' -> '_', '/' -> '~'.
    return base64.b64decode(text.replace("-", "+").replace("_", "=").replace("~", "/"))


def _split_signed(url: str) -> tuple[str, dict[str, str]]:
    """The resource that was signed (URL without CloudFront's params) and those params."""
    base, _, query = url.partition("&Expires=")
    params = {k: v[0] for k, v in parse_qs(f"Expires={query}").items()}
    return base, params


def test_signed_url_verifies_with_the_public_key(private_key: rsa.RSAPrivateKey) -> None:
    signer = CloudFrontUrlSigner("d111.cloudfront.net", "K2JCJMDEHXQW5F", _pem(private_key))
    url = signer.signed_url("users/u1/projects/p1/out.mid", "Prélude.mid", EXPIRES)

    resource, params = _split_signed(url)
    assert resource.startswith("https://d111.cloudfront.net/users/u1/projects/p1/out.mid?")
    assert params["Key-Pair-Id"] == "K2JCJMDEHXQW5F"
    assert params["Expires"] == str(int(EXPIRES.timestamp()))
    disposition = parse_qs(urlsplit(resource).query)["response-content-disposition"][0]
    assert "filename*=UTF-8''Pr%C3%A9lude.mid" in disposition

    policy = json.dumps(
        {
            "Statement": [
                {
                    "Resource": resource,
                    "Condition": {"DateLessThan": {"AWS:EpochTime": int(EXPIRES.timestamp())}},
                }
            ]
        },
        separators=(",", ":"),
    ).encode()
    signature = _cloudfront_b64decode(params["Signature"])
    private_key.public_key().verify(signature, policy, padding.PKCS1v15(), hashes.SHA1())

    # The same signature does not cover another object or a later expiry.
    other = policy.replace(b"out.mid", b"other.mid")
    with pytest.raises(InvalidSignature):
        private_key.public_key().verify(signature, other, padding.PKCS1v15(), hashes.SHA1())


def test_a_non_rsa_key_is_refused() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValueError, match="RSA"):
        CloudFrontUrlSigner("d111.cloudfront.net", "K1", pem)


def test_settings_choose_cloudfront_only_when_all_three_values_are_set(
    private_key: rsa.RSAPrivateKey,
) -> None:
    # Settings accept the PEM with "\n" escapes, as one-line environment variables carry it.
    one_line_pem = _pem(private_key).decode().replace("\n", "\\n")
    full = {
        "CLOUDFRONT_DOMAIN": "media.keycraft.org",
        "CLOUDFRONT_KEY_PAIR_ID": "K1",
        "CLOUDFRONT_PRIVATE_KEY": one_line_pem,
    }
    assert cloudfront_signer(Settings(**full)) is not None  # type: ignore[arg-type]
    for missing in full:
        partial = {k: v for k, v in full.items() if k != missing}
        assert cloudfront_signer(Settings(**partial)) is None  # type: ignore[arg-type]


def test_s3_storage_issues_cloudfront_urls_when_configured(private_key: rsa.RSAPrivateKey) -> None:
    settings = Settings(
        STORAGE="s3",
        S3_BUCKET="media",
        S3_ENDPOINT_URL="http://127.0.0.1:9",
        CLOUDFRONT_DOMAIN="media.keycraft.org",
        CLOUDFRONT_KEY_PAIR_ID="K1",
        CLOUDFRONT_PRIVATE_KEY=_pem(private_key).decode(),  # type: ignore[arg-type]
    )
    storage = s3_storage(settings)
    assert isinstance(storage, S3Storage)
    url = storage.download_url("users/u1/projects/p1/out.mid", "out.mid", expires_s=300)
    assert url.startswith("https://media.keycraft.org/users/u1/projects/p1/out.mid?")
    assert "&Signature=" in url and "&Key-Pair-Id=K1" in url
