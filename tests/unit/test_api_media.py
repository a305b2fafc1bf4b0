"""``GET /api/media/{token}``: valid links download; expired, tampered or foreign ones do not."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from keycraft.api import build_api
from keycraft.config import Settings
from keycraft.services.container import Services, build_services, override_services
from keycraft.services.storage.media_links import MediaLink, MediaLinkSigner

KEY = "users/u1/projects/p1/exports/out.mid"
SECRET = "media-route-secret"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(
        Settings(MEDIA_DIR=tmp_path, SECRET_KEY=SECRET, APP_URL="http://testserver")  # type: ignore[arg-type]
    )
    built.storage.put(KEY, b"MThd-bytes", "audio/midi")
    override_services(built)
    yield built
    override_services(None)


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(build_api()) as test_client:
        yield test_client


def _path(url: str) -> str:
    return urlsplit(url).path


def test_a_valid_link_downloads_the_midi_as_an_attachment(
    services: Services, client: TestClient
) -> None:
    url = services.storage.download_url(KEY, "My song.mid", expires_s=60)
    assert url.startswith("http://testserver/api/media/")
    response = client.get(_path(url))
    assert response.status_code == 200
    assert response.content == b"MThd-bytes"
    assert response.headers["content-type"] == "audio/midi"
    assert response.headers["content-disposition"].startswith('attachment; filename="My song.mid"')
    assert response.headers["cache-control"] == "private, no-store"


def test_an_expired_link_is_gone(client: TestClient) -> None:
    token = MediaLinkSigner(SECRET.encode()).sign(MediaLink(KEY, "x.mid", int(time.time()) - 1))
    response = client.get(f"/api/media/{token}")
    assert response.status_code == 410
    assert response.text == "This download link has expired."


def test_a_tampered_link_is_refused(services: Services, client: TestClient) -> None:
    token = _path(services.storage.download_url(KEY, "x.mid", expires_s=60)).rsplit("/", 1)[1]
    # Flip one bit of the ciphertext: the tag no longer matches, whatever the bit meant.
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[14] ^= 1
    forged = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    response = client.get(f"/api/media/{forged}")
    assert response.status_code == 403
    assert response.text == "This download link is not valid."


def test_a_link_signed_with_another_secret_is_refused(client: TestClient) -> None:
    token = MediaLinkSigner(b"not-the-app-secret").sign(MediaLink(KEY, "x.mid", 2**40))
    assert client.get(f"/api/media/{token}").status_code == 403


def test_a_valid_link_to_a_deleted_file_is_not_found(
    services: Services, client: TestClient
) -> None:
    url = services.storage.download_url(KEY, "x.mid", expires_s=60)
    services.storage.delete_prefix("users/u1/")
    response = client.get(_path(url))
    assert response.status_code == 404
    assert response.text == "This file no longer exists."
