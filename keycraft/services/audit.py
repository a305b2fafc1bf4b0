"""The staff audit log: who changed what, and when, for every admin action."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

COMMAND_LINE_ACTOR = "command line"
"""Who an operator command acts as (it runs with server access, not a staff session)."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One admin action: ``actor`` (an email or the command line) did ``action`` to ``target``."""

    id: str
    at: datetime
    actor: str
    action: str
    target: str
    detail: str = ""


def audit_entry(at: datetime, actor: str, action: str, target: str, detail: str = "") -> AuditEntry:
    """A new entry with a fresh id (ids only break ties between entries of the same instant)."""
    return AuditEntry(uuid.uuid4().hex, at, actor, action, target, detail)
