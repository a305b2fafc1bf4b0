"""Presigned S3 download links against LocalStack's S3, which checks signatures and expiry."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from infra.keycraft_infra.settings import InfraSettings
from keycraft.services.storage.keys import project_prefix
from keycraft.services.storage.s3 import S3Storage
from tests.support.localstack import localstack_s3_client, start_localstack_s3

KEY = f"{project_prefix('u1', 'p1')}exports/take-1.mid"
OTHER_KEY = f"{project_prefix('u2', 'p9')}exports/secret.mid"


@pytest.fixture(scope="session")
def localstack_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """LocalStack (S3 only, signature checks on), started once per run."""
    server, endpoint = start_localstack_s3(tmp_path_factory.mktemp("localstack"))
    try:
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def bucket(localstack_endpoint: str) -> str:
    name = f"keycraft-links-{uuid.uuid4().hex[:12]}"
    localstack_s3_client(localstack_endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture
def storage(localstack_endpoint: str, bucket: str) -> S3Storage:
    store = S3Storage(localstack_s3_client(localstack_endpoint), bucket)
    store.put(KEY, b"MThd-mine", "audio/midi")
    store.put(OTHER_KEY, b"MThd-theirs", "audio/midi")
    return store


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.mark.parametrize(
    ("filename", "fallback"),
    [("Take 1.mid", "Take 1.mid"), ("Nocturne – Op.9 月光.mid", "Nocturne _ Op.9.mid")],
)
def test_a_fresh_presigned_link_downloads_with_the_filename(
    storage: S3Storage, filename: str, fallback: str
) -> None:
    response = httpx.get(storage.download_url(KEY, filename, expires_s=60))
    assert response.status_code == 200
    assert response.content == b"MThd-mine"
    disposition = response.headers["content-disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == filename
    assert f'filename="{fallback}"' in disposition


def test_a_link_pointed_at_another_key_is_refused(storage: S3Storage) -> None:
    url = storage.download_url(KEY, "x.mid", expires_s=60)
    response = httpx.get(url.replace(KEY, OTHER_KEY))
    assert response.status_code == 403
    assert "SignatureDoesNotMatch" in response.text


def test_a_link_with_a_longer_expiry_or_another_filename_is_refused(storage: S3Storage) -> None:
    url = storage.download_url(KEY, "x.mid", expires_s=60)
    for tampered in (
        _with_query(url, **{"X-Amz-Expires": "604800"}),
        _with_query(url, **{"response-content-disposition": "inline"}),
    ):
        response = httpx.get(tampered)
        assert response.status_code == 403, tampered
        assert "SignatureDoesNotMatch" in response.text


def test_a_link_stops_working_once_expired(storage: S3Storage) -> None:
    # SigV4 signs the time to the whole second, so a link lives between
    # expires_s - 1 and expires_s seconds: 5 leaves a loaded machine at least
    # 4 s to make the first request.
    url = storage.download_url(KEY, "x.mid", expires_s=5)
    assert httpx.get(url).status_code == 200
    deadline = time.monotonic() + 30
    response = httpx.get(url)
    while response.status_code == 200 and time.monotonic() < deadline:
        time.sleep(0.25)
        response = httpx.get(url)
    assert response.status_code == 403
    assert "Request has expired" in response.text


def test_bucket_cors_admits_the_site_and_app_origins_and_refuses_others(
    storage: S3Storage, localstack_endpoint: str, bucket: str
) -> None:
    # The same rule the CDK stack puts on the media bucket.
    localstack_s3_client(localstack_endpoint).put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedMethods": ["GET", "HEAD"],
                    "AllowedOrigins": InfraSettings().cors_origins,
                    "AllowedHeaders": ["*"],
                    "MaxAgeSeconds": 3600,
                }
            ]
        },
    )

    def preflight(origin: str) -> httpx.Response:
        return httpx.options(
            f"{localstack_endpoint}/{bucket}/{KEY}",
            headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
        )

    for origin in InfraSettings().cors_origins:
        allowed = preflight(origin)
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == origin
    refused = preflight("https://evil.example")
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers
