"""Staff use cases on experiments: lifecycle changes, each checked, stored and audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from keycraft.services.audit import audit_entry
from keycraft.services.domain import User
from keycraft.services.errors import DomainError, NotFound
from keycraft.services.experiments import lifecycle as transitions
from keycraft.services.experiments.analysis import load_analysis
from keycraft.services.experiments.catalog import find_experiment
from keycraft.services.experiments.lifecycle import Lifecycle, apply_lifecycle, declared_lifecycle
from keycraft.services.experiments.live import forget_cached_lifecycles, stored_lifecycles
from keycraft.services.experiments.model import Experiment
from keycraft.services.repository.port import Repository


class SampleRatioMismatch(DomainError):
    """The exposures do not fit the weights, so no winner may be declared from them."""


def current_lifecycle(repo: Repository, key: str) -> tuple[Experiment, Lifecycle]:
    """The declared experiment and its lifecycle as stored now (not from the cache).

    Raises:
        NotFound: The catalog declares no experiment with this key.
    """
    declared = find_experiment(key)
    if declared is None:
        raise NotFound(key)
    stored = stored_lifecycles(repo, fresh=True).get(key)
    return declared, stored or declared_lifecycle(declared)


def _change(
    repo: Repository,
    actor: User,
    key: str,
    now: datetime,
    action: str,
    transition: Callable[[Lifecycle], Lifecycle],
    detail: Callable[[Lifecycle, Lifecycle], str],
) -> Lifecycle:
    _, current = current_lifecycle(repo, key)
    changed = transition(current)
    repo.save_experiment_lifecycle(changed)  # Conflict if someone else changed it meanwhile
    forget_cached_lifecycles()
    repo.add_audit_entry(
        audit_entry(now, actor.email, f"experiment.{action}", key, detail(current, changed))
    )
    return changed


def _status(before: Lifecycle, after: Lifecycle) -> str:
    text = f"{before.status.value} → {after.status.value}"
    return text if before.version == after.version else f"{text}, version {after.version}"


def _split(lifecycle: Lifecycle) -> str:
    return " / ".join(f"{v.key} {v.weight}" for v in lifecycle.weights)


def start(repo: Repository, actor: User, key: str, now: datetime) -> Lifecycle:
    """Start a draft (or restart a stopped) experiment."""
    return _change(
        repo, actor, key, now, "start", lambda c: transitions.start(c, actor.email, now), _status
    )


def pause(repo: Repository, actor: User, key: str, now: datetime) -> Lifecycle:
    """Pause a running experiment."""
    return _change(
        repo, actor, key, now, "pause", lambda c: transitions.pause(c, actor.email, now), _status
    )


def resume(repo: Repository, actor: User, key: str, now: datetime) -> Lifecycle:
    """Resume a paused experiment."""
    return _change(
        repo, actor, key, now, "resume", lambda c: transitions.resume(c, actor.email, now), _status
    )


def stop(repo: Repository, actor: User, key: str, now: datetime) -> Lifecycle:
    """Stop an experiment without a winner."""
    return _change(
        repo, actor, key, now, "stop", lambda c: transitions.stop(c, actor.email, now), _status
    )


def reweigh(
    repo: Repository, actor: User, key: str, weights: dict[str, int], now: datetime
) -> Lifecycle:
    """Change the traffic share (a new, separately counted version once counting began)."""

    def detail(before: Lifecycle, after: Lifecycle) -> str:
        text = f"split {_split(before)} → {_split(after)}"
        return text if before.version == after.version else f"{text}, version {after.version}"

    return _change(
        repo,
        actor,
        key,
        now,
        "split",
        lambda c: transitions.reweigh(c, weights, actor.email, now),
        detail,
    )


def ramp(repo: Repository, actor: User, key: str, percent: int, now: datetime) -> Lifecycle:
    """Let ``percent`` of visitors into the experiment."""
    return _change(
        repo,
        actor,
        key,
        now,
        "ramp",
        lambda c: transitions.ramp(c, percent, actor.email, now),
        lambda b, a: f"ramp {b.ramp_percent}% → {a.ramp_percent}%",
    )


def declare_winner(
    repo: Repository, actor: User, key: str, variant: str, now: datetime
) -> Lifecycle:
    """Serve ``variant`` to everyone and record the decision with the numbers behind it.

    Raises:
        SampleRatioMismatch: The exposures do not fit the weights (the data are suspect).
        LifecycleRefused: The experiment never ran or the variant is not declared.
    """
    declared, current = current_lifecycle(repo, key)
    analysis = load_analysis(repo, apply_lifecycle(declared, current))
    if analysis.srm_blocks_decision:
        raise SampleRatioMismatch(key)

    def detail(before: Lifecycle, after: Lifecycle) -> str:
        rates = ", ".join(
            f"{row.variant} {row.conversions}/{row.exposures}" for row in analysis.primary.variants
        )
        tested = analysis.sequential.get(variant)
        verdict = f", always-valid p {tested.p_value:.3f}" if tested else ""
        return f"winner {variant} (version {before.version}: {rates}{verdict})"

    return _change(
        repo,
        actor,
        key,
        now,
        "winner",
        lambda c: transitions.declare_winner(c, variant, actor.email, now),
        detail,
    )
