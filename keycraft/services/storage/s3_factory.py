"""Builds the S3 storage adapter (boto3 client with timeouts, optional CloudFront) from Settings."""

from __future__ import annotations

import boto3
from botocore.config import Config

from keycraft.config import Settings
from keycraft.services.storage.cloudfront import CloudFrontUrlSigner
from keycraft.services.storage.s3 import S3Storage


def cloudfront_signer(settings: Settings) -> CloudFrontUrlSigner | None:
    """Return a CloudFront URL signer when domain, key pair id and private key are all set."""
    key = settings.cloudfront_private_key
    if not (settings.cloudfront_domain and settings.cloudfront_key_pair_id and key):
        return None
    # Environment variables rarely hold newlines: accept a PEM with literal "\n" escapes too.
    pem = key.get_secret_value().replace("\\n", "\n").encode("ascii")
    return CloudFrontUrlSigner(settings.cloudfront_domain, settings.cloudfront_key_pair_id, pem)


def s3_storage(settings: Settings) -> S3Storage:
    """Return an S3 adapter on ``settings.s3_bucket``; the endpoint is configurable for tests."""
    client = boto3.client(
        "s3",
        region_name=settings.aws_region,
        endpoint_url=settings.s3_endpoint_url,
        config=Config(
            connect_timeout=3,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
            signature_version="s3v4",
            # A custom endpoint (a local S3 server) is addressed by path, AWS by virtual host.
            s3={"addressing_style": "path" if settings.s3_endpoint_url else "virtual"},
            max_pool_connections=32,
        ),
    )
    return S3Storage(client, settings.s3_bucket, cloudfront_signer(settings))
