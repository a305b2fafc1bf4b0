"""Experiment events in memory: once-only exposures and conversions, visitor links."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from keycraft.services.experiments.model import EXPOSURE, Conversion, Exposure, Tally
from keycraft.services.repository.memory.base import MemoryBase, Tables, VisitorLink


def experiment_events(
    tables: Tables, key: str, version: int
) -> tuple[list[Exposure], list[Conversion]]:
    """The exposures and conversions of one experiment version; the caller holds the lock."""
    exposures = [
        e for e in tables.exposures.values() if (e.experiment_key, e.version) == (key, version)
    ]
    conversions = [
        c for c in tables.conversions.values() if (c.experiment_key, c.version) == (key, version)
    ]
    return exposures, conversions


class MemoryExperimentsMixin(MemoryBase):
    """See ``port_experiments.ExperimentsRepository``; keys are the relational primary keys."""

    def lock_experiment_definition(
        self, key: str, version: int, fingerprint: str, now: datetime
    ) -> str:
        """See the port."""
        with self._lock:
            return self._tables.experiment_definitions.setdefault((key, version), fingerprint)

    def record_exposure(self, exposure: Exposure) -> bool:
        """See the port."""
        key = (exposure.experiment_key, exposure.version, exposure.visitor_id)
        with self._lock:
            if key in self._tables.exposures:
                return False
            self._tables.exposures[key] = exposure
        return True

    def list_visitor_exposures(self, visitor_id: str) -> list[Exposure]:
        """See the port."""
        with self._lock:
            return [e for e in self._tables.exposures.values() if e.visitor_id == visitor_id]

    def record_conversion(self, conversion: Conversion) -> bool:
        """See the port."""
        key = (
            conversion.experiment_key,
            conversion.version,
            conversion.visitor_id,
            conversion.metric.value,
        )
        with self._lock:
            if key in self._tables.conversions:
                return False
            self._tables.conversions[key] = conversion
        return True

    def link_visitor(self, visitor_id: str, user_id: str, now: datetime) -> str:
        """See the port; a link to a missing user is not stored (as the foreign key demands)."""
        with self._lock:
            link = self._tables.visitor_links.get(visitor_id)
            if link is not None:
                return link.user_id
            if user_id not in self._tables.users:
                return ""
            self._tables.visitor_links[visitor_id] = VisitorLink(user_id, now)
        return user_id

    def list_user_visitors(self, user_id: str) -> list[str]:
        """See the port."""
        with self._lock:
            mine = [
                (link.linked_at, visitor_id)
                for visitor_id, link in self._tables.visitor_links.items()
                if link.user_id == user_id
            ]
        return [visitor_id for _, visitor_id in sorted(mine)]

    def experiment_tallies(self, key: str, version: int) -> list[Tally]:
        """See the port."""
        with self._lock:
            exposures, conversions = experiment_events(self._tables, key, version)
        counts = Counter((e.variant, EXPOSURE) for e in exposures)
        counts.update((c.variant, c.metric.value) for c in conversions)
        return [Tally(variant, event, n) for (variant, event), n in sorted(counts.items())]
