"""Local-folder storage adapter: the embedded default."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Collection
from pathlib import Path
from urllib.parse import quote

from keycraft.services.errors import InvalidKey, NotFound, StorageUnavailable
from keycraft.services.storage.keys import TEMP_PREFIX, key_parts
from keycraft.services.storage.media_links import MediaLink, MediaLinkSigner
from keycraft.services.storage.port import StoredObject

__all__ = ["MEDIA_LINK_PATH", "InvalidKey", "LocalStorage", "StorageUnavailable"]

MEDIA_LINK_PATH = "/api/media/"
"""Path (under the app's URL) of the route that serves signed local media links."""


class LocalStorage:
    """Stores each object as a file below ``root``; writes are atomic renames.

    Download links point at the app itself (``<base_url>/api/media/<token>``), signed by
    ``links``; without a signer the store cannot issue links.
    """

    def __init__(
        self, root: Path, links: MediaLinkSigner | None = None, base_url: str = ""
    ) -> None:
        self._root = root
        self._links = links
        self._base_url = base_url.rstrip("/")

    def _path(self, key: str) -> Path:
        return self._root.joinpath(*key_parts(key))

    def ping(self) -> None:
        """See the port: the root must exist (or be creatable) and be writable."""
        try:
            self._root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageUnavailable(str(self._root)) from exc
        if not os.access(self._root, os.W_OK):
            raise StorageUnavailable(str(self._root))

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """See the port. ``content_type`` is implied by the key's suffix locally.

        Raises:
            StorageUnavailable: the file system refused the write (full, read-only, a file
                where a folder should be).
        """
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename so a reader never sees half a file.
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        except OSError as exc:
            raise StorageUnavailable(key) from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise StorageUnavailable(key) from exc
            raise

    def get(self, key: str) -> bytes:
        """See the port."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(key) from exc

    def delete_prefix(self, prefix: str) -> int:
        """See the port."""
        base = self._path(prefix.rstrip("/")) if prefix.strip("/") else self._root
        if not base.exists():
            return 0
        files = [base] if base.is_file() else [p for p in base.rglob("*") if p.is_file()]
        for path in files:
            path.unlink(missing_ok=True)
        return len(files)

    def list_objects(self, prefix: str) -> list[StoredObject]:
        """See the port (files being written, ``.upload-*``, are not objects yet)."""
        base = self._path(prefix.rstrip("/")) if prefix.strip("/") else self._root
        if not base.is_dir():
            return []
        found = []
        for path in base.rglob("*"):
            if path.name.startswith(".upload-"):
                continue
            try:
                if path.is_file():
                    key = path.relative_to(self._root).as_posix()
                    found.append(StoredObject(key, path.stat().st_mtime))
            except FileNotFoundError:
                continue  # deleted while we listed
        return found

    def purge_expired_temp(
        self, older_than_s: float, keep_folders: Collection[str] = frozenset()
    ) -> int:
        """See the port: delete temporary uploads last written more than ``older_than_s`` ago."""
        base = self._root / TEMP_PREFIX.rstrip("/")
        if not base.exists():
            return 0
        cutoff = time.time() - older_than_s
        kept = {self._path(folder.rstrip("/")) for folder in keep_folders}
        old = [
            p
            for p in base.rglob("*")
            if p.is_file() and p.stat().st_mtime <= cutoff and not kept.intersection(p.parents)
        ]
        for path in old:
            path.unlink(missing_ok=True)
        # Empty upload folders go too, so the tree does not grow forever.
        for folder in sorted((p for p in base.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
        return len(old)

    def download_url(self, key: str, filename: str, expires_s: int) -> str:
        """See the port: a link to the app's media route, valid for ``expires_s`` seconds."""
        key_parts(key)
        if self._links is None:
            raise StorageUnavailable("local media links need a signing secret")
        link = MediaLink(
            key=key, filename=filename, expires_at_epoch_s=int(time.time()) + expires_s
        )
        return f"{self._base_url}{MEDIA_LINK_PATH}{quote(self._links.sign(link), safe='')}"
