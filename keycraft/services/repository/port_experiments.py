"""The experiments part of the Repository protocol: exposures, conversions, visitor links."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from keycraft.services.experiments.model import Conversion, Exposure, Tally


class ExperimentsRepository(Protocol):
    """Storage for A/B experiment events; every write is idempotent."""

    def lock_experiment_definition(
        self, key: str, version: int, fingerprint: str, now: datetime
    ) -> str:
        """Store ``fingerprint`` for (key, version) unless one exists; return the stored one."""
        ...

    def record_exposure(self, exposure: Exposure) -> bool:
        """Store an exposure once per (experiment, version, visitor); True if it was new."""
        ...

    def list_visitor_exposures(self, visitor_id: str) -> list[Exposure]:
        """Every exposure of one visitor, any experiment or version."""
        ...

    def record_conversion(self, conversion: Conversion) -> bool:
        """Store a conversion once per (experiment, version, visitor, metric); True if new."""
        ...

    def link_visitor(self, visitor_id: str, user_id: str, now: datetime) -> str:
        """Link a visitor id to a user unless already linked; return the linked user's id."""
        ...

    def list_user_visitors(self, user_id: str) -> list[str]:
        """Visitor ids linked to a user, oldest link first."""
        ...

    def experiment_tallies(self, key: str, version: int) -> list[Tally]:
        """Visitor counts per variant and event (exposure or metric) of one experiment version."""
        ...
