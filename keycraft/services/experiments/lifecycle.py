"""Experiment lifecycle decided by staff at run time: status, weights, ramp and winner.

Variants and their views stay declared in Python (:mod:`catalog`); everything staff may
change without a deploy is a :class:`Lifecycle`, stored in the repository. Transitions
are pure functions returning the next lifecycle, so the rules are testable on their own.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from keycraft.services.errors import DomainError
from keycraft.services.experiments.model import Experiment, Status, Variant


class LifecycleRefused(DomainError):
    """A lifecycle change that makes no sense in the current state."""

    @property
    def user_message(self) -> str:
        """The reason, written for staff (built only from fixed text and enum values)."""
        return str(self.args[0]) if self.args else "That change is not possible now."


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """What staff decided about one experiment; ``revision`` counts stored changes.

    ``weights`` keeps one entry per variant, control first. ``revision`` 0 means nothing is
    stored yet: the catalog declaration is in force.
    """

    experiment_key: str
    status: Status
    version: int
    weights: tuple[Variant, ...]
    ramp_percent: int
    winner: str
    revision: int
    updated_at: datetime | None = None
    updated_by: str = ""


def declared_lifecycle(experiment: Experiment) -> Lifecycle:
    """The lifecycle an experiment starts with: its catalog declaration (not yet stored)."""
    return Lifecycle(
        experiment_key=experiment.key,
        status=experiment.status,
        version=experiment.version,
        weights=experiment.variants,
        ramp_percent=experiment.ramp_percent,
        winner=experiment.winner,
        revision=0,
    )


def apply_lifecycle(experiment: Experiment, lifecycle: Lifecycle | None) -> Experiment:
    """The experiment as it runs now: the declaration with the stored decisions applied.

    Variants keep their declared order; a stored weight for a variant the code no longer
    declares is dropped, and a newly declared variant keeps its declared weight.
    """
    if lifecycle is None:
        return experiment
    stored = {variant.key: variant.weight for variant in lifecycle.weights}
    variants = tuple(Variant(v.key, stored.get(v.key, v.weight)) for v in experiment.variants)
    winner = lifecycle.winner if lifecycle.winner in experiment.variant_keys else ""
    return dataclasses.replace(
        experiment,
        status=lifecycle.status,
        version=lifecycle.version,
        variants=variants,
        ramp_percent=lifecycle.ramp_percent,
        winner=winner,
    )


def _next(current: Lifecycle, actor: str, now: datetime, **changes: Any) -> Lifecycle:
    return dataclasses.replace(
        current, revision=current.revision + 1, updated_at=now, updated_by=actor, **changes
    )


def _require(current: Lifecycle, allowed: tuple[Status, ...], action: str) -> None:
    if current.status not in allowed:
        raise LifecycleRefused(f"Cannot {action} an experiment that is {current.status.value}.")


def start(current: Lifecycle, actor: str, now: datetime) -> Lifecycle:
    """Draft → running; a stopped experiment restarts as a new, separately counted version."""
    _require(current, (Status.DRAFT, Status.STOPPED), "start")
    version = current.version + 1 if current.status is Status.STOPPED else current.version
    return _next(current, actor, now, status=Status.RUNNING, version=version, winner="")


def pause(current: Lifecycle, actor: str, now: datetime) -> Lifecycle:
    """Running → paused: new visitors see the control uncounted, assigned ones keep theirs."""
    _require(current, (Status.RUNNING,), "pause")
    return _next(current, actor, now, status=Status.PAUSED)


def resume(current: Lifecycle, actor: str, now: datetime) -> Lifecycle:
    """Paused → running, same version, so counting simply continues."""
    _require(current, (Status.PAUSED,), "resume")
    return _next(current, actor, now, status=Status.RUNNING)


def stop(current: Lifecycle, actor: str, now: datetime) -> Lifecycle:
    """Running or paused → stopped without a winner: everyone sees the control."""
    _require(current, (Status.RUNNING, Status.PAUSED), "stop")
    return _next(current, actor, now, status=Status.STOPPED)


def reweigh(current: Lifecycle, weights: dict[str, int], actor: str, now: datetime) -> Lifecycle:
    """Change the traffic share; once counting has begun this starts a new version.

    Raises:
        LifecycleRefused: Stopped experiment, unknown or missing variants, weights not positive
            or unchanged.
    """
    _require(current, (Status.DRAFT, Status.RUNNING, Status.PAUSED), "change the split of")
    keys = [variant.key for variant in current.weights]
    if sorted(weights) != sorted(keys):
        raise LifecycleRefused("Give a weight for every variant.")
    if any(weight <= 0 or weight > 1000 for weight in weights.values()):
        raise LifecycleRefused("Weights must be whole numbers from 1 to 1000.")
    new = tuple(Variant(key, weights[key]) for key in keys)
    if new == current.weights:
        raise LifecycleRefused("These are already the weights.")
    counting_began = current.status is not Status.DRAFT
    version = current.version + 1 if counting_began else current.version
    return _next(current, actor, now, weights=new, version=version)


def ramp(current: Lifecycle, percent: int, actor: str, now: datetime) -> Lifecycle:
    """Let ``percent`` of visitors into the experiment; the rest see the control uncounted.

    The ramp does not reshuffle anyone: a visitor's ramp bucket is fixed, so raising the
    ramp only adds visitors. It keeps the version (shares within the experiment are equal).
    """
    _require(current, (Status.DRAFT, Status.RUNNING, Status.PAUSED), "ramp")
    if not 1 <= percent <= 100:
        raise LifecycleRefused("The ramp is a whole percentage from 1 to 100.")
    if percent == current.ramp_percent:
        raise LifecycleRefused(f"The ramp already is {percent}%.")
    return _next(current, actor, now, ramp_percent=percent)


def declare_winner(current: Lifecycle, variant: str, actor: str, now: datetime) -> Lifecycle:
    """Stop the experiment and serve ``variant`` to everyone (uncounted)."""
    _require(current, (Status.RUNNING, Status.PAUSED, Status.STOPPED), "declare a winner of")
    if variant not in {v.key for v in current.weights}:
        raise LifecycleRefused("Pick one of the declared variants.")
    return _next(current, actor, now, status=Status.STOPPED, winner=variant)
