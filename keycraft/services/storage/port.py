"""The Storage protocol: where uploaded audio and exported MIDI live."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class StoredObject:
    """One object in the store and when it was last written (Unix seconds)."""

    key: str
    modified_epoch_s: float


class Storage(Protocol):
    """A key → bytes store for media; keys are per user (``users/<id>/...``)."""

    def ping(self) -> None:
        """Raise ``StorageUnavailable`` if the store cannot be used."""
        ...

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key``, replacing what was there.

        Raise ``StorageUnavailable`` if the store refuses the write.
        """
        ...

    def get(self, key: str) -> bytes:
        """Return the bytes under ``key``; raise ``NotFound`` if absent."""
        ...

    def delete_prefix(self, prefix: str) -> int:
        """Delete every object whose key starts with ``prefix``; return how many."""
        ...

    def list_objects(self, prefix: str) -> list[StoredObject]:
        """Every object under the folder-like ``prefix`` (such as ``users/``), in no order.

        Raise ``StorageUnavailable`` if the store cannot be listed.
        """
        ...

    def purge_expired_temp(
        self, older_than_s: float, keep_folders: Collection[str] = frozenset()
    ) -> int:
        """Delete uploads under ``tmp/`` older than ``older_than_s``; return how many.

        Uploads inside ``keep_folders`` (``tmp/<id>/`` each) stay, however old.
        """
        ...

    def download_url(self, key: str, filename: str, expires_s: int) -> str:
        """Return a URL that downloads ``key`` as ``filename`` for the next ``expires_s`` seconds.

        Callers check the download quota first; the URL itself is the only authorisation the
        browser presents afterwards, so keep ``expires_s`` short.
        """
        ...
