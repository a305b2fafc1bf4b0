"""Experiment declarations and the events they produce, as frozen domain types."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Metric(StrEnum):
    """A conversion an experiment can be judged on."""

    SIGNUP = "signup"
    CHECKOUT_STARTED = "checkout_started"
    PAID = "paid"


class Status(StrEnum):
    """Lifecycle of an experiment; only running experiments assign and count visitors.

    Paused: new visitors see the control uncounted, visitors already assigned keep their
    variant. Stopped: everyone sees the control, or the declared winner.
    """

    DRAFT = "draft"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"


_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
"""Keys end up in storage keys and CSV cells: lowercase words joined by underscores."""

EXPOSURE = "exposure"
"""The event name under which exposures are tallied next to the metrics."""


@dataclass(frozen=True, slots=True)
class Variant:
    """One arm of an experiment; ``weight`` is its relative share of visitors."""

    key: str
    weight: int


@dataclass(frozen=True, slots=True)
class Experiment:
    """An A/B test declared in Python; the first variant is the control.

    ``version`` salts the assignment hash: a weight change starts a new version, a fresh,
    separately counted population instead of silently moving visitors. The catalog gives
    the starting status and weights; staff change them (and ``ramp_percent``, ``winner``)
    from the admin page, and the stored lifecycle overrides the declaration.
    """

    key: str
    page: str
    section: str
    variants: tuple[Variant, ...]
    metric: Metric
    status: Status
    version: int = 1
    description: str = ""
    guardrail: Metric | None = None
    ramp_percent: int = 100
    winner: str = ""

    def problems(self) -> list[str]:
        """What is wrong with this declaration (empty when it is valid); a unit test checks."""
        keys = [variant.key for variant in self.variants]
        found = []
        if not all(_KEY.match(key) for key in (self.key, *keys)):
            found.append(f"{self.key!r}: keys must match {_KEY.pattern}")
        if len(keys) < 2 or len(set(keys)) != len(keys):
            found.append(f"{self.key!r}: needs two or more distinct variants")
        if any(variant.weight <= 0 for variant in self.variants):
            found.append(f"{self.key!r}: weights must be positive")
        if self.version < 1:
            found.append(f"{self.key!r}: version must be 1 or more")
        if self.guardrail is self.metric:
            found.append(f"{self.key!r}: the guardrail must differ from the primary metric")
        if not 1 <= self.ramp_percent <= 100:
            found.append(f"{self.key!r}: ramp must be 1-100%")
        if self.winner and self.winner not in keys:
            found.append(f"{self.key!r}: the winner must be a declared variant")
        return found

    @property
    def control(self) -> str:
        """Key of the control variant (the first one declared)."""
        return self.variants[0].key

    @property
    def variant_keys(self) -> tuple[str, ...]:
        """Keys of every variant, control first."""
        return tuple(variant.key for variant in self.variants)

    def fingerprint(self) -> str:
        """A digest of what decides assignment: changing weights changes it."""
        text = ";".join(f"{v.key}={v.weight}" for v in self.variants)
        return hashlib.sha256(f"{self.key}|v{self.version}|{text}".encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Exposure:
    """A visitor actually saw ``variant`` of an experiment (stored once per visitor)."""

    experiment_key: str
    version: int
    visitor_id: str
    variant: str
    exposed_at: datetime


@dataclass(frozen=True, slots=True)
class Conversion:
    """An exposed visitor reached a metric (stored once per visitor, experiment and metric)."""

    experiment_key: str
    version: int
    visitor_id: str
    variant: str
    metric: Metric
    converted_at: datetime


@dataclass(frozen=True, slots=True)
class Tally:
    """How many visitors of one variant had one event (``EXPOSURE`` or a metric value)."""

    variant: str
    event: str
    count: int


@dataclass(frozen=True, slots=True)
class DailyTally:
    """How many visitors of one variant had one event on one UTC day."""

    day: date
    variant: str
    event: str
    count: int
