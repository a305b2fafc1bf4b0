"""MIDI downloads: the quota check and the file a project exports to."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from keycraft.services.domain import Project, QuotaDecision
from keycraft.services.errors import DomainError, NotFound
from keycraft.services.notes.midi_io import export_midi
from keycraft.services.plans import Plan, download_limit
from keycraft.services.repository.port import Repository


class QuotaExhausted(DomainError):
    """The user has no MIDI downloads left in this monthly window."""

    def __init__(self, decision: QuotaDecision) -> None:
        super().__init__(f"{decision.used}/{decision.limit}")
        self.decision = decision


@dataclass(frozen=True, slots=True)
class QuotaStatus:
    """Downloads used and allowed in the current window (read only)."""

    used: int
    limit: int
    reset_date: datetime


@dataclass(frozen=True, slots=True)
class MidiDownload:
    """A granted download: the file and how it should be named."""

    data: bytes
    filename: str


def midi_filename(title: str) -> str:
    """Return a safe ``.mid`` file name for a project title."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_title).strip("-.")[:80]
    return f"{stem or 'keycraft'}.mid"


def quota_status(
    repo: Repository, user_id: str, now: datetime, plans: tuple[Plan, ...] = ()
) -> QuotaStatus | None:
    """Return the user's download counters as of ``now`` (None for an unknown user).

    ``plans`` are the plans on offer (the Free plan alone when empty).
    """
    user = repo.get_user(user_id)
    if user is None:
        return None
    quota = repo.get_quota(user_id)
    used = 0 if quota.reset_date <= now else quota.used
    return QuotaStatus(used=used, limit=download_limit(user, plans), reset_date=quota.reset_date)


def download_project_midi(
    repo: Repository,
    user_id: str,
    project_id: str,
    now: datetime,
    plans: tuple[Plan, ...] = (),
) -> MidiDownload:
    """Export the user's saved project as MIDI, taking one download from their quota.

    The project is checked first, so a wrong id never costs a download. ``plans`` are the
    plans on offer (the Free plan alone when empty), which set the user's monthly limit.

    Raises:
        NotFound: no such project (or user) for this user.
        QuotaExhausted: the monthly limit is reached.
    """
    user = repo.get_user(user_id)
    project: Project | None = repo.get_project(user_id, project_id) if user else None
    if user is None or project is None:
        raise NotFound(project_id)
    decision = repo.consume_download(user_id, download_limit(user, plans), now)
    if not decision.granted:
        raise QuotaExhausted(decision)
    data = export_midi(
        project.notes,
        project.tempo_bpm,
        project.time_signature,
        project.title,
        tempo_changes=project.tempo_changes,
        time_signature_changes=project.time_signature_changes,
    )
    return MidiDownload(data=data, filename=midi_filename(project.title))
