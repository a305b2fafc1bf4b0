"""MIDI downloads: the quota, the file a project exports to, and its delivery."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from keycraft.services.billing.plans import Plan, download_limit
from keycraft.services.domain import Project, QuotaDecision
from keycraft.services.errors import DomainError, NotFound
from keycraft.services.notes.midi_io import export_midi
from keycraft.services.repository.port import Repository
from keycraft.services.storage.keys import project_prefix
from keycraft.services.storage.port import Storage

EXPORT_FAILED_MESSAGE = (
    "The MIDI file could not be prepared, so no download was counted. Please try again."
)
"""What the user is told when an export fails before its download is counted."""


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
    """A project written as MIDI: the file and how it should be named."""

    data: bytes
    filename: str
    title: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class DeliveredMidi:
    """An export that was stored and counted: where to fetch it, its name, the quota after."""

    url: str
    filename: str
    quota: QuotaDecision


_UNSAFE_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
"""Characters some file system (Windows, macOS, Linux) refuses in a name."""


def midi_filename(title: str) -> str:
    """Return the ``.mid`` file name a project's download is saved as: its title, any script.

    Only characters a file system refuses are replaced (by ``-``); letters of every script,
    dashes and spaces stay. Browsers get it through ``Content-Disposition``'s UTF-8 form.
    """
    cleaned = _UNSAFE_IN_FILE_NAMES.sub("-", unicodedata.normalize("NFC", title))
    stem = " ".join(cleaned.split())[:100].strip(" -.")
    return f"{stem or 'keycraft'}.mid"


def export_key_name(title: str) -> str:
    """An ASCII-only object name for a project's exported file in the media store."""
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


def export_key(user_id: str, project_id: str, midi: MidiDownload) -> str:
    """Where an export is stored: one object per saved version of the project.

    A new version gets a new key, so a cache in front of the store (CloudFront keeps
    ``.mid`` files for a day) never serves the file of an earlier version.
    """
    name = export_key_name(midi.title)
    return f"{project_prefix(user_id, project_id)}exports/v{midi.version}/{name}"


def build_project_midi(repo: Repository, user_id: str, project_id: str) -> MidiDownload:
    """Write the user's saved project as a MIDI file; no download is counted.

    Raises:
        NotFound: no such project for this user.
        MidiExportFailed: the project cannot be written as MIDI.
    """
    project: Project | None = repo.get_project(user_id, project_id)
    if project is None:
        raise NotFound(project_id)
    data = export_midi(
        project.notes,
        project.tempo_bpm,
        project.time_signature,
        project.title,
        tempo_changes=project.tempo_changes,
        time_signature_changes=project.time_signature_changes,
        pedals=project.pedals,
    )
    return MidiDownload(
        data=data,
        filename=midi_filename(project.title),
        title=project.title,
        version=project.version,
    )


def export_project_midi(
    repo: Repository,
    storage: Storage,
    user_id: str,
    project_id: str,
    now: datetime,
    *,
    link_ttl_s: int,
    plans: tuple[Plan, ...] = (),
) -> DeliveredMidi:
    """Store the user's project as a MIDI file and return a link to it, counting one download.

    A download is counted only for a file that is stored and linked. Every step that can
    fail runs first: finding the project, writing the MIDI bytes, storing them, signing
    the link. Taking the download comes last, as the single conditional write of the
    repository's ``consume_download`` (atomic on every adapter), and nothing fallible
    follows it. So a failure leaves the quota exactly as it was and there is nothing to
    give back. A refund after the fact was rejected: the refund is a second write that can
    itself fail, or never run if the process stops between the two, and the download
    would stay spent. The price of this order is small: a request that loses the race for
    the last download has stored a file nobody gets a link to (the same bytes as the
    winner's, under the same key); deleting the project removes it. A user already at
    the limit is refused before any file is written.

    Args:
        repo: Where users, projects and quotas live.
        storage: The media store the file is written to and linked from.
        user_id: The signed-in user.
        project_id: One of the user's projects (its saved version is exported).
        now: The time the download counts at (it picks the monthly window).
        link_ttl_s: How long the returned link works, in seconds.
        plans: The plans on offer (the Free plan alone when empty), which set the limit.

    Raises:
        NotFound: no such project (or user) for this user; nothing is counted.
        QuotaExhausted: the monthly limit is reached.
        MidiExportFailed: the project cannot be written as MIDI; nothing is counted.
        StorageUnavailable: the file cannot be stored or linked; nothing is counted.
    """
    user = repo.get_user(user_id)
    if user is None:
        raise NotFound(project_id)
    limit = download_limit(user, plans)
    quota = repo.get_quota(user_id)
    used = 0 if quota.reset_date <= now else quota.used
    if used >= limit:
        raise QuotaExhausted(
            QuotaDecision(False, used, limit, quota.reset_date, quota.total_downloads)
        )
    midi = build_project_midi(repo, user_id, project_id)
    key = export_key(user_id, project_id, midi)
    storage.put(key, midi.data, "audio/midi")
    url = storage.download_url(key, midi.filename, link_ttl_s)
    decision = repo.consume_download(user_id, limit, now)
    if not decision.granted:
        raise QuotaExhausted(decision)
    return DeliveredMidi(url=url, filename=midi.filename, quota=decision)
