"""The local media store keeps keys inside its root and writes atomically."""

from pathlib import Path

import pytest

from keycraft.services.errors import NotFound
from keycraft.services.storage.local import InvalidKey, LocalStorage


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
