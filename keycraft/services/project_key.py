"""The key a project is read in: the learner's choice, or the one estimated from its notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from keycraft.services.errors import DomainError
from keycraft.services.notes.key import (
    C_MAJOR,
    MusicalKey,
    estimate_key_from_weights,
    parse_key,
)
from keycraft.services.repository.port import Repository


class UnknownKey(DomainError):
    """A key name that is none of the 24 major and minor keys."""


@dataclass(frozen=True, slots=True)
class ProjectKey:
    """The key to spell a project's notes in, and the one its notes suggest."""

    key: MusicalKey
    estimated: MusicalKey
    chosen: bool
    """True when the learner chose ``key``; False when it is the estimate."""


def project_key(key_name: str | None, weights: Sequence[float]) -> ProjectKey:
    """The key a project is shown in: its stored choice, else the estimate (C major if empty).

    Args:
        key_name: The stored choice (``Project.key_name``); one that no longer parses counts
            as no choice.
        weights: How much each pitch class sounds in its notes (``key.pitch_class_weights``,
            or the editing session's running ``pitch_class_weights``).
    """
    found = estimate_key_from_weights(weights)
    estimated = found.key if found is not None else C_MAJOR
    chosen = parse_key(key_name)
    return ProjectKey(chosen or estimated, estimated, chosen is not None)


def save_key(
    repo: Repository, user_id: str, project_id: str, key_name: str | None
) -> MusicalKey | None:
    """Store the learner's key (None: go back to the estimate); return the key stored.

    Raises:
        UnknownKey: ``key_name`` names no key.
        NotFound: the user has no such project.
    """
    key = None
    if key_name is not None:
        key = parse_key(key_name)
        if key is None:
            raise UnknownKey(key_name[:20])
    repo.save_project_key(user_id, project_id, key.key_id if key else None)
    return key
