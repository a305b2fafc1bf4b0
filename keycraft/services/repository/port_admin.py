"""The staff part of the Repository protocol: experiment lifecycles, audit log, staff list."""

from __future__ import annotations

from typing import Protocol

from keycraft.services.audit import AuditEntry
from keycraft.services.domain import User
from keycraft.services.experiments.lifecycle import Lifecycle
from keycraft.services.experiments.model import DailyTally


class AdminRepository(Protocol):
    """Storage for what staff decide at run time; part of the Repository."""

    def list_experiment_lifecycles(self) -> list[Lifecycle]:
        """Every stored experiment lifecycle (experiments never changed by staff are absent)."""
        ...

    def save_experiment_lifecycle(self, lifecycle: Lifecycle) -> None:
        """Store ``lifecycle`` if the stored revision is ``lifecycle.revision - 1``.

        Revision 1 creates the record. Raises ``Conflict`` when another change landed first.
        """
        ...

    def add_audit_entry(self, entry: AuditEntry) -> None:
        """Append one entry to the audit log."""
        ...

    def list_audit_entries(self, limit: int) -> list[AuditEntry]:
        """The ``limit`` most recent audit entries, newest first."""
        ...

    def list_users_with_role(self, role: str) -> list[User]:
        """Users whose role is ``role`` (e.g. staff), by email."""
        ...

    def experiment_daily_tallies(self, key: str, version: int) -> list[DailyTally]:
        """Visitor counts per UTC day, variant and event of one experiment version."""
        ...
