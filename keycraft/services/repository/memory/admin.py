"""Staff storage in memory: experiment lifecycles, the audit log, the staff list."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from keycraft.services.audit import AuditEntry
from keycraft.services.domain import User
from keycraft.services.errors import Conflict
from keycraft.services.experiments.lifecycle import Lifecycle
from keycraft.services.experiments.model import EXPOSURE, DailyTally
from keycraft.services.repository.memory.base import MemoryBase
from keycraft.services.repository.memory.copying import detached
from keycraft.services.repository.memory.experiments import experiment_events


def _utc_day(moment: datetime) -> date:
    # The other adapters store UTC and count by its calendar day.
    return (moment.astimezone(UTC) if moment.tzinfo else moment).date()


class MemoryAdminMixin(MemoryBase):
    """See ``port_admin.AdminRepository``."""

    def list_experiment_lifecycles(self) -> list[Lifecycle]:
        """See the port."""
        with self._lock:
            return [detached(lifecycle) for lifecycle in self._tables.lifecycles.values()]

    def save_experiment_lifecycle(self, lifecycle: Lifecycle) -> None:
        """See the port."""
        with self._lock:
            stored = self._tables.lifecycles.get(lifecycle.experiment_key)
            expected = None if lifecycle.revision == 1 else lifecycle.revision - 1
            if (None if stored is None else stored.revision) != expected:
                raise Conflict(lifecycle.experiment_key)
            self._tables.lifecycles[lifecycle.experiment_key] = detached(lifecycle)

    def add_audit_entry(self, entry: AuditEntry) -> None:
        """See the port."""
        with self._lock:
            self._tables.audit_entries.append(entry)

    def list_audit_entries(self, limit: int) -> list[AuditEntry]:
        """See the port."""
        with self._lock:
            entries = list(self._tables.audit_entries)
        return sorted(entries, key=lambda e: (e.at, e.id), reverse=True)[:limit]

    def list_users_with_role(self, role: str) -> list[User]:
        """See the port."""
        with self._lock:
            holders = [detached(u) for u in self._tables.users.values() if u.role == role]
        return sorted(holders, key=lambda u: u.email)

    def experiment_daily_tallies(self, key: str, version: int) -> list[DailyTally]:
        """See the port."""
        with self._lock:
            exposures, conversions = experiment_events(self._tables, key, version)
        counts = Counter((_utc_day(e.exposed_at), e.variant, EXPOSURE) for e in exposures)
        counts.update((_utc_day(c.converted_at), c.variant, c.metric.value) for c in conversions)
        return [DailyTally(d, v, event, n) for (d, v, event), n in sorted(counts.items())]
