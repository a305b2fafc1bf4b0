"""S3 storage adapter (boto3): objects in one bucket, downloads by presigned or CloudFront URL."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from keycraft.services.clock import utc_now
from keycraft.services.errors import NotFound, StorageUnavailable
from keycraft.services.storage.cloudfront import CloudFrontUrlSigner
from keycraft.services.storage.keys import TEMP_PREFIX, key_parts
from keycraft.services.storage.media_links import attachment_disposition
from keycraft.services.storage.port import StoredObject

_MISSING = {"NoSuchKey", "404", "NotFound"}
_DELETE_BATCH = 1000  # DeleteObjects accepts at most 1,000 keys per call


class S3Storage:
    """Stores each object under its key in ``bucket``; ``client`` is a boto3 S3 client."""

    def __init__(self, client: Any, bucket: str, cloudfront: CloudFrontUrlSigner | None = None):
        self._client = client
        self._bucket = bucket
        self._cloudfront = cloudfront

    def ping(self) -> None:
        """See the port: the bucket must exist and be reachable with our credentials."""
        try:
            self._client.head_bucket(Bucket=self._bucket)
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(self._bucket) from exc

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """See the port."""
        key_parts(key)
        try:
            self._client.put_object(
                Bucket=self._bucket, Key=key, Body=data, ContentType=content_type
            )
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(self._bucket) from exc

    def get(self, key: str) -> bytes:
        """See the port."""
        key_parts(key)
        try:
            response = self._client.get_object(Bucket=self._bucket, Key=key)
            return bytes(response["Body"].read())
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                raise NotFound(key) from exc
            raise StorageUnavailable(self._bucket) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(self._bucket) from exc

    def _keys(self, prefix: str) -> list[tuple[str, float]]:
        """Every (key, last-modified epoch seconds) under ``prefix``."""
        found: list[tuple[str, float]] = []
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix):
            found.extend(
                (item["Key"], item["LastModified"].timestamp()) for item in page.get("Contents", [])
            )
        return found

    def _delete(self, keys: list[str]) -> int:
        for start in range(0, len(keys), _DELETE_BATCH):
            batch = keys[start : start + _DELETE_BATCH]
            response = self._client.delete_objects(
                Bucket=self._bucket,
                Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True},
            )
            if response.get("Errors"):
                raise StorageUnavailable(self._bucket)
        return len(keys)

    def delete_prefix(self, prefix: str) -> int:
        """See the port. On a versioned bucket this leaves noncurrent versions to lifecycle."""
        if prefix.strip("/"):
            key_parts(prefix.rstrip("/"))
        try:
            return self._delete([key for key, _ in self._keys(prefix)])
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(self._bucket) from exc

    def list_objects(self, prefix: str) -> list[StoredObject]:
        """See the port."""
        if prefix.strip("/"):
            key_parts(prefix.rstrip("/"))
        try:
            return [StoredObject(key, modified) for key, modified in self._keys(prefix)]
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(self._bucket) from exc

    def purge_expired_temp(
        self, older_than_s: float, keep_folders: Collection[str] = frozenset()
    ) -> int:
        """See the port. The bucket's lifecycle rule does the same daily; this is for tools."""
        cutoff = utc_now().timestamp() - older_than_s
        kept = tuple(keep_folders)
        try:
            old = [
                key
                for key, modified in self._keys(TEMP_PREFIX)
                if modified <= cutoff and not key.startswith(kept)
            ]
            return self._delete(old)
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(self._bucket) from exc

    def download_url(self, key: str, filename: str, expires_s: int) -> str:
        """See the port: a CloudFront signed URL when configured, else a presigned S3 URL."""
        key_parts(key)
        if self._cloudfront is not None:
            return self._cloudfront.signed_url(
                key, filename, utc_now() + timedelta(seconds=expires_s)
            )
        try:
            return str(
                self._client.generate_presigned_url(
                    "get_object",
                    Params={
                        "Bucket": self._bucket,
                        "Key": key,
                        "ResponseContentDisposition": attachment_disposition(filename),
                    },
                    ExpiresIn=expires_s,
                )
            )
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(self._bucket) from exc
