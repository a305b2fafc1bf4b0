"""CloudFront signed URLs (canned policy, RSA-SHA1 as CloudFront requires) for media downloads."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from keycraft.services.storage.media_links import attachment_disposition


class CloudFrontUrlSigner:
    """Signs URLs on one distribution with the private key of a CloudFront public key."""

    def __init__(self, domain: str, key_pair_id: str, private_key_pem: bytes) -> None:
        key = serialization.load_pem_private_key(private_key_pem, password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("CloudFront signing keys are RSA keys")
        private_key = key

        def rsa_signer(message: bytes) -> bytes:
            # CloudFront verifies canned-policy signatures as PKCS#1 v1.5 over SHA-1.
            return private_key.sign(message, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303

        self._domain = domain.removeprefix("https://").rstrip("/")
        self._signer = CloudFrontSigner(key_pair_id, rsa_signer)

    def signed_url(self, key: str, filename: str, expires_at: datetime) -> str:
        """Return a URL for ``key`` that downloads as ``filename`` until ``expires_at``.

        The ``response-content-disposition`` query is part of the signed resource, so it cannot
        be changed; the distribution forwards it to S3, which sets the header.
        """
        disposition = quote(attachment_disposition(filename), safe="")
        url = f"https://{self._domain}/{quote(key, safe='/')}"
        return self._signer.generate_presigned_url(
            f"{url}?response-content-disposition={disposition}", date_less_than=expires_at
        )
