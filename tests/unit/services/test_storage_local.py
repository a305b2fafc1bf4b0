"""The local media store keeps keys inside its root and writes atomically."""

import os
import time
from pathlib import Path

import pytest

from keycraft.services.errors import InvalidKey, NotFound, StorageUnavailable
from keycraft.services.storage.keys import temp_upload_key
from keycraft.services.storage.local import LocalStorage


def test_put_get_and_delete_prefix(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path / "media")
    store.ping()
    store.put("users/u1/projects/p1/take.wav", b"RIFF", "audio/wav")
    store.put("users/u1/projects/p2/out.mid", b"MThd", "audio/midi")
    store.put("users/u2/projects/p3/out.mid", b"MThd", "audio/midi")
    assert store.get("users/u1/projects/p1/take.wav") == b"RIFF"
    assert store.delete_prefix("users/u1/") == 2
    with pytest.raises(NotFound):
        store.get("users/u1/projects/p1/take.wav")
    assert store.get("users/u2/projects/p3/out.mid") == b"MThd"
    assert not list((tmp_path / "media").rglob(".upload-*"))


@pytest.mark.parametrize("key", ["../escape", "/etc/passwd", "users/../../x", ""])
def test_keys_cannot_leave_the_root(tmp_path: Path, key: str) -> None:
    with pytest.raises(InvalidKey):
        LocalStorage(tmp_path).put(key, b"x", "text/plain")


def test_purge_expired_temp_removes_only_old_temporary_uploads(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path)
    store.put(temp_upload_key("old", "take.wav"), b"old", "audio/wav")
    store.put(temp_upload_key("new", "take.wav"), b"new", "audio/wav")
    store.put("users/u1/projects/p1/take.wav", b"kept", "audio/wav")
    two_days_ago = time.time() - 2 * 86400
    for path in (tmp_path / "tmp/old/take.wav", tmp_path / "users/u1/projects/p1/take.wav"):
        os.utime(path, (two_days_ago, two_days_ago))

    assert store.purge_expired_temp(older_than_s=86400) == 1

    assert not (tmp_path / "tmp/old").exists()
    assert store.get(temp_upload_key("new", "take.wav")) == b"new"
    # Project media is never temporary, however old.
    assert store.get("users/u1/projects/p1/take.wav") == b"kept"


def test_purge_on_an_empty_store_removes_nothing(tmp_path: Path) -> None:
    assert LocalStorage(tmp_path).purge_expired_temp(older_than_s=0) == 0


def test_download_url_needs_a_signing_secret(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path)
    store.put("users/u1/a.mid", b"x", "audio/midi")
    with pytest.raises(StorageUnavailable):
        store.download_url("users/u1/a.mid", "a.mid", 60)


def test_purge_temp_command_uses_the_configured_store_and_age(tmp_path: Path) -> None:
    from keycraft.config import Settings
    from keycraft.manage import migrate, purge_temp

    store = LocalStorage(tmp_path)
    store.put(temp_upload_key("old", "take.wav"), b"old", "audio/wav")
    old = time.time() - 7200
    os.utime(tmp_path / "tmp/old/take.wav", (old, old))
    database_url = f"sqlite:///{tmp_path / 'db' / 'keycraft.db'}"
    settings = Settings(MEDIA_DIR=tmp_path, TEMP_UPLOAD_MAX_AGE_S=3600, DATABASE_URL=database_url)
    migrate(settings)  # the command asks the database which uploads jobs still need
    assert purge_temp(settings) == "1 expired temporary upload(s) deleted"
    assert purge_temp(settings) == "0 expired temporary upload(s) deleted"
