"""Media key layout: per-user prefixes, the temporary-upload prefix and key validation."""

from __future__ import annotations

from pathlib import PurePosixPath

from keycraft.services.errors import InvalidKey

TEMP_PREFIX = "tmp/"
"""Uploads not yet attached to a project; expired by age (S3 lifecycle or ``purge``)."""


def user_prefix(user_id: str) -> str:
    """Prefix of every object a user owns; deleting it erases the account's media."""
    return f"users/{user_id}/"


def project_prefix(user_id: str, project_id: str) -> str:
    """Prefix of one project's media (uploaded audio, exported MIDI)."""
    return f"{user_prefix(user_id)}projects/{project_id}/"


def temp_upload_key(upload_id: str, filename: str) -> str:
    """Key of a temporary upload, before it becomes a project's audio."""
    return f"{TEMP_PREFIX}{upload_id}/{PurePosixPath(filename).name or 'upload'}"


def key_parts(key: str) -> tuple[str, ...]:
    """Return the path segments of ``key``; raise ``InvalidKey`` if it could escape its root."""
    parts = PurePosixPath(key).parts
    if not parts or key.startswith("/") or any(p in ("..", ".") for p in parts):
        raise InvalidKey(key)
    return parts
