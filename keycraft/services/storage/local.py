"""Local-folder storage adapter: the embedded default."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath

from keycraft.services.errors import DomainError, NotFound


class StorageUnavailable(DomainError):
    """The media store cannot be read or written."""


class InvalidKey(DomainError):
    """A storage key tried to leave its root (``..``, absolute paths)."""


class LocalStorage:
    """Stores each object as a file below ``root``; writes are atomic renames."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def _path(self, key: str) -> Path:
        parts = PurePosixPath(key).parts
        if not parts or key.startswith("/") or any(p in ("..", ".") for p in parts):
            raise InvalidKey(key)
        return self._root.joinpath(*parts)

    def ping(self) -> None:
        """See the port: the root must exist (or be creatable) and be writable."""
        try:
            self._root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageUnavailable(str(self._root)) from exc
        if not os.access(self._root, os.W_OK):
            raise StorageUnavailable(str(self._root))

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """See the port. ``content_type`` is implied by the key's suffix locally."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
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
