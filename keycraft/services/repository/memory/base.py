"""The memory adapter's tables (plain dicts) and the one lock every operation holds."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from keycraft.services.audit import AuditEntry
from keycraft.services.auth.types import EmailToken, OAuthAccount
from keycraft.services.domain import DownloadQuota, Project, Session, User
from keycraft.services.experiments.lifecycle import Lifecycle
from keycraft.services.experiments.model import Conversion, Exposure
from keycraft.services.jobs.model import TranscriptionJob


@dataclass(frozen=True, slots=True)
class VisitorLink:
    """A browser's visitor id tied to the account it signed up or in with."""

    user_id: str
    linked_at: datetime


@dataclass(frozen=True, slots=True)
class RateCounter:
    """Hits of one key in one window."""

    count: int
    expires_at: datetime


@dataclass
class Tables:
    """Everything the adapter stores, keyed as the relational adapter's primary keys."""

    users: dict[str, User] = field(default_factory=dict)
    user_ids_by_email: dict[str, str] = field(default_factory=dict)
    quotas: dict[str, DownloadQuota] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    oauth_accounts: dict[tuple[str, str], OAuthAccount] = field(default_factory=dict)
    email_tokens: dict[str, EmailToken] = field(default_factory=dict)
    rate_counters: dict[tuple[str, datetime], RateCounter] = field(default_factory=dict)
    stripe_events: set[str] = field(default_factory=set)
    experiment_definitions: dict[tuple[str, int], str] = field(default_factory=dict)
    exposures: dict[tuple[str, int, str], Exposure] = field(default_factory=dict)
    conversions: dict[tuple[str, int, str, str], Conversion] = field(default_factory=dict)
    visitor_links: dict[str, VisitorLink] = field(default_factory=dict)
    lifecycles: dict[str, Lifecycle] = field(default_factory=dict)
    audit_entries: list[AuditEntry] = field(default_factory=list)
    jobs: dict[str, TranscriptionJob] = field(default_factory=dict)
    seconds_used: dict[tuple[str, datetime], int] = field(default_factory=dict)
    """Transcription seconds reserved per (user id, minutes window end)."""


class MemoryBase:
    """The tables and their lock, shared by every feature mixin of ``MemoryRepository``.

    One re-entrant lock serialises every operation, so each is atomic the way a conditional
    write or a transaction is in the other adapters; values are stored and handed out as
    detached copies (``copying.detached``), so callers never share state with the store.
    """

    def __init__(self) -> None:
        self._tables = Tables()
        self._lock = threading.RLock()

    def ping(self) -> None:
        """See the port: memory is always reachable."""
