"""One media-storage suite, run on the local folder and on S3 (moto's server)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pytest
from pydantic import SecretStr
from starlette.testclient import TestClient

from keycraft.api import build_api
from keycraft.config import Settings
from keycraft.services.container import build_services, override_services
from keycraft.services.errors import InvalidKey, NotFound, StorageUnavailable
from keycraft.services.storage.keys import project_prefix, temp_upload_key, user_prefix
from keycraft.services.storage.port import Storage
from keycraft.services.storage.s3 import S3Storage
from tests.support.moto_s3 import new_bucket, s3_client


@dataclass(frozen=True)
class StoreUnderTest:
    """An adapter, and how a browser would fetch one of its download URLs."""

    storage: Storage
    fetch: Callable[[str], httpx.Response]


def _local(tmp_path: Path) -> Iterator[StoreUnderTest]:
    settings = Settings(
        STORAGE="local",
        MEDIA_DIR=tmp_path / "media",
        APP_URL="http://testserver",
        SECRET_KEY=SecretStr("contract-secret"),
    )
    services = build_services(settings)
    override_services(services)
    # The local store's links are served by the app's own media route.
    with TestClient(build_api()) as client:
        yield StoreUnderTest(services.storage, lambda url: client.get(urlsplit(url).path))
    override_services(None)


def _s3(endpoint: str) -> Iterator[StoreUnderTest]:
    client = s3_client(endpoint)
    bucket = new_bucket(client)
    yield StoreUnderTest(S3Storage(client, bucket), lambda url: httpx.get(url, timeout=5))


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreUnderTest]:
    """A fresh, empty store of each adapter kind."""
    if request.param == "local":
        yield from _local(tmp_path)
    else:
        yield from _s3(request.getfixturevalue("s3_endpoint"))


def test_ping_succeeds_on_a_usable_store(store: StoreUnderTest) -> None:
    store.storage.ping()


def test_put_then_get_returns_the_same_bytes_and_put_replaces(store: StoreUnderTest) -> None:
    key = f"{project_prefix('u1', 'p1')}take.wav"
    store.storage.put(key, b"RIFF-one", "audio/wav")
    store.storage.put(key, b"RIFF-two", "audio/wav")
    assert store.storage.get(key) == b"RIFF-two"


def test_get_of_a_missing_key_raises_not_found(store: StoreUnderTest) -> None:
    with pytest.raises(NotFound):
        store.storage.get("users/nobody/projects/none/out.mid")


@pytest.mark.parametrize("key", ["../escape", "/etc/passwd", "users/../../x"])
def test_keys_that_could_escape_are_refused(store: StoreUnderTest, key: str) -> None:
    with pytest.raises(InvalidKey):
        store.storage.put(key, b"x", "text/plain")


def test_deleting_a_project_prefix_removes_only_that_project(store: StoreUnderTest) -> None:
    mine = project_prefix("u1", "p1")
    store.storage.put(f"{mine}take.wav", b"a", "audio/wav")
    store.storage.put(f"{mine}exports/out.mid", b"b", "audio/midi")
    store.storage.put(f"{project_prefix('u1', 'p2')}out.mid", b"c", "audio/midi")
    assert store.storage.delete_prefix(mine) == 2
    with pytest.raises(NotFound):
        store.storage.get(f"{mine}exports/out.mid")
    assert store.storage.get(f"{project_prefix('u1', 'p2')}out.mid") == b"c"


def test_deleting_a_user_prefix_removes_all_their_media_and_no_one_elses(
    store: StoreUnderTest,
) -> None:
    for project in ("p1", "p2", "p3"):
        store.storage.put(f"{project_prefix('u1', project)}out.mid", b"m", "audio/midi")
    store.storage.put(f"{project_prefix('u10', 'p1')}out.mid", b"keep", "audio/midi")
    assert store.storage.delete_prefix(user_prefix("u1")) == 3
    assert store.storage.delete_prefix(user_prefix("u1")) == 0
    # "users/u1/" must not match "users/u10/".
    assert store.storage.get(f"{project_prefix('u10', 'p1')}out.mid") == b"keep"


def test_purge_removes_temporary_uploads_older_than_the_age_and_nothing_else(
    store: StoreUnderTest,
) -> None:
    temp = temp_upload_key("up1", "take.wav")
    kept = f"{project_prefix('u1', 'p1')}take.wav"
    store.storage.put(temp, b"a", "audio/wav")
    store.storage.put(kept, b"b", "audio/wav")
    assert store.storage.purge_expired_temp(older_than_s=3600) == 0
    assert store.storage.get(temp) == b"a"
    time.sleep(1.1)  # S3 keeps LastModified in whole seconds
    assert store.storage.purge_expired_temp(older_than_s=0) == 1
    with pytest.raises(NotFound):
        store.storage.get(temp)
    assert store.storage.get(kept) == b"b"


@pytest.mark.parametrize(
    ("filename", "fallback"),
    [("Für Elise.mid", "Fur Elise.mid"), ("Nocturne – Op.9 月光.mid", "Nocturne _ Op.9.mid")],
)
def test_download_url_serves_the_bytes_as_an_attachment_with_the_filename(
    store: StoreUnderTest, filename: str, fallback: str
) -> None:
    key = f"{project_prefix('u1', 'p1')}exports/3f2a.mid"
    store.storage.put(key, b"MThd\x00\x00\x00\x06", "audio/midi")
    url = store.storage.download_url(key, filename, expires_s=60)
    response = store.fetch(url)
    assert response.status_code == 200
    assert response.content == b"MThd\x00\x00\x00\x06"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == filename
    assert f'filename="{fallback}"' in disposition


def test_a_refused_write_raises_storage_unavailable(
    store: StoreUnderTest, tmp_path: Path, s3_endpoint: str
) -> None:
    if isinstance(store.storage, S3Storage):
        broken: Storage = S3Storage(s3_client(s3_endpoint), "keycraft-no-such-bucket")
    else:
        from keycraft.services.storage.local import LocalStorage

        blocker = tmp_path / "not-a-folder"
        blocker.write_bytes(b"")
        broken = LocalStorage(blocker / "media")
    with pytest.raises(StorageUnavailable):
        broken.put(f"{project_prefix('u1', 'p1')}exports/v1/x.mid", b"MThd", "audio/midi")


def test_ping_fails_when_the_store_is_unusable(
    store: StoreUnderTest, tmp_path: Path, s3_endpoint: str
) -> None:
    if isinstance(store.storage, S3Storage):
        broken: Storage = S3Storage(s3_client(s3_endpoint), "keycraft-no-such-bucket")
    else:
        from keycraft.services.storage.local import LocalStorage

        blocker = tmp_path / "not-a-folder"
        blocker.write_bytes(b"")
        broken = LocalStorage(blocker / "media")
    with pytest.raises(StorageUnavailable):
        broken.ping()


def test_list_objects_names_every_object_under_a_prefix_with_its_write_time(
    store: StoreUnderTest,
) -> None:
    before = time.time() - 5
    take = f"{project_prefix('u1', 'p1')}source.wav"
    export = f"{project_prefix('u1', 'p1')}exports/out.mid"
    other = f"{project_prefix('u2', 'p9')}source.wav"
    staged = temp_upload_key("up1", "source.wav")
    for key in (take, export, other, staged):
        store.storage.put(key, b"x", "audio/wav")
    listed = store.storage.list_objects(user_prefix("u1"))
    assert sorted(o.key for o in listed) == sorted([take, export])
    assert all(before <= o.modified_epoch_s <= time.time() + 5 for o in listed)
    assert sorted(o.key for o in store.storage.list_objects("users/")) == sorted(
        [take, export, other]
    )
    assert [o.key for o in store.storage.list_objects("tmp/")] == [staged]
    assert store.storage.list_objects("users/nobody/") == []
