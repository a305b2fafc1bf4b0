"""Experiment use cases: pick and expose variants, link visitors, attribute conversions."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from keycraft.services.domain import User
from keycraft.services.errors import DomainError
from keycraft.services.experiments.assignment import (
    VISITOR_COOKIE,
    assign,
    in_ramp,
    is_counted,
    is_visitor_id,
)
from keycraft.services.experiments.live import live_experiment
from keycraft.services.experiments.model import Conversion, Experiment, Exposure, Metric, Status
from keycraft.services.repository.port import Repository
from keycraft.services.repository.port_experiments import ExperimentsRepository


class ExperimentChanged(DomainError):
    """A running experiment's weights changed without a version bump; it is not counted."""


@dataclass(frozen=True, slots=True)
class Choice:
    """The variant a visitor sees and whether seeing it counts as an exposure."""

    experiment_key: str
    variant: str
    counted: bool


def choose_variant(
    experiment: Experiment,
    visitor_id: str,
    *,
    bot: bool,
    override: str | None = None,
    earlier: str | None = None,
) -> Choice:
    """Decide what one visitor sees; pure, so pages and tests agree on every assignment.

    ``earlier`` is the variant this visitor was already exposed to in this version, if any.
    A staff override, a declared winner, a bot or a missing visitor id see a fixed variant
    that is never counted. While running, visitors outside the ramp see the control
    uncounted; while paused, only visitors exposed before keep their variant.
    """
    if override is not None:
        return Choice(experiment.key, override, counted=False)
    if experiment.winner:
        return Choice(experiment.key, experiment.winner, counted=False)
    if bot or not is_visitor_id(visitor_id):
        return Choice(experiment.key, experiment.control, counted=False)
    counted = is_counted(experiment)
    if earlier is not None and experiment.status in (Status.RUNNING, Status.PAUSED):
        return Choice(experiment.key, earlier, counted=counted)
    if counted and in_ramp(experiment, visitor_id):
        return Choice(experiment.key, assign(experiment, visitor_id), counted=True)
    return Choice(experiment.key, experiment.control, counted=False)


def earlier_variants(repo: ExperimentsRepository, visitor_id: str) -> dict[tuple[str, int], str]:
    """Variants this visitor was exposed to, by (experiment key, version)."""
    if not is_visitor_id(visitor_id):
        return {}
    return {
        (e.experiment_key, e.version): e.variant for e in repo.list_visitor_exposures(visitor_id)
    }


_verified: set[tuple[str, int, str]] = set()
_verified_lock = threading.Lock()


def verify_definition(repo: ExperimentsRepository, experiment: Experiment, now: datetime) -> None:
    """Refuse a running experiment whose weights changed under the same version.

    The first process to count an experiment version stores its fingerprint; any later
    definition with other weights raises :class:`ExperimentChanged` until the version is
    bumped, so no visitor silently moves to another variant.
    """
    marker = (experiment.key, experiment.version, experiment.fingerprint())
    if marker in _verified:
        return
    stored = repo.lock_experiment_definition(
        experiment.key, experiment.version, experiment.fingerprint(), now
    )
    if stored != experiment.fingerprint():
        raise ExperimentChanged(experiment.key)
    with _verified_lock:
        _verified.add(marker)


def record_exposure(repo: Repository, choice: Choice, visitor_id: str, now: datetime) -> bool:
    """Store that ``visitor_id`` saw a counted variant; True only the first time.

    Checked against the experiment as it runs now, so a visitor whose page loaded just
    before a pause or a ramp-down is not counted after it.
    """
    experiment = live_experiment(repo, choice.experiment_key)
    if experiment is None or not choice.counted or not is_visitor_id(visitor_id):
        return False
    if not is_counted(experiment) or not in_ramp(experiment, visitor_id):
        return False
    if choice.variant != assign(experiment, visitor_id):
        return False  # a client claiming another variant than its assignment is ignored
    verify_definition(repo, experiment, now)
    exposure = Exposure(experiment.key, experiment.version, visitor_id, choice.variant, now)
    return repo.record_exposure(exposure)


def link_visitor(repo: ExperimentsRepository, visitor_id: str, user_id: str, now: datetime) -> bool:
    """Link an anonymous visitor id to a user at sign-up or sign-in; True if now linked to them.

    The first link wins, so a shared computer keeps crediting its first account.
    """
    if not is_visitor_id(visitor_id) or not user_id:
        return False
    return repo.link_visitor(visitor_id, user_id, now) == user_id


def visitor_for_user(
    repo: ExperimentsRepository, visitor_id: str, user_id: str, now: datetime
) -> str:
    """Link this browser's visitor id to the signed-in user; return the id it should use.

    That is the user's first linked visitor id, so a user who signs in on a new device
    keeps the variants they were first assigned instead of getting a second draw.
    """
    link_visitor(repo, visitor_id, user_id, now)
    linked = repo.list_user_visitors(user_id)
    return linked[0] if linked else visitor_id


def record_conversion(
    repo: ExperimentsRepository,
    metric: Metric,
    now: datetime,
    *,
    user_id: str | None = None,
    visitor_id: str | None = None,
) -> int:
    """Credit a conversion to every experiment the visitor (or user) was exposed to before.

    For a user, each experiment is credited once, to the variant of the user's earliest
    exposure across their linked visitor ids (one person, several devices). Repeated calls
    are harmless. Returns how many experiments gained a conversion.
    """
    visitors: list[str] = []
    if user_id:
        visitors.extend(repo.list_user_visitors(user_id))
    if visitor_id and is_visitor_id(visitor_id) and visitor_id not in visitors:
        visitors.append(visitor_id)
    earliest: dict[tuple[str, int], Exposure] = {}
    for visitor in visitors:
        for exposure in repo.list_visitor_exposures(visitor):
            if exposure.exposed_at > now:
                continue  # exposed after converting: the variant did not cause it
            key = (exposure.experiment_key, exposure.version)
            if key not in earliest or exposure.exposed_at < earliest[key].exposed_at:
                earliest[key] = exposure
    credited = 0
    for exposure in earliest.values():
        conversion = Conversion(
            experiment_key=exposure.experiment_key,
            version=exposure.version,
            visitor_id=exposure.visitor_id,
            variant=exposure.variant,
            metric=metric,
            converted_at=now,
        )
        credited += repo.record_conversion(conversion)
    return credited


def record_signup(repo: ExperimentsRepository, visitor_id: str, user_id: str, now: datetime) -> int:
    """What the sign-up flow calls once the account exists: link, then credit the sign-up.

    Returns how many experiments gained a sign-up conversion.
    """
    link_visitor(repo, visitor_id, user_id, now)
    return record_conversion(repo, Metric.SIGNUP, now, user_id=user_id, visitor_id=visitor_id)


SIGN_UP_WINDOW = timedelta(minutes=10)
"""A sign-in this soon after the account was created is the sign-up itself."""


def attribute_sign_in(
    repo: ExperimentsRepository, visitor_id: str, user: User, now: datetime
) -> None:
    """Link the signing-in browser's visitor id to ``user``; count a sign-up if it is one.

    Every sign-in method ends here, so password, email-link and OAuth sign-ups all count.
    """
    if not visitor_id:
        return
    if now - user.created_at <= SIGN_UP_WINDOW:
        record_signup(repo, visitor_id, user.id, now)
    else:
        link_visitor(repo, visitor_id, user.id, now)


def visitor_id_from_cookie_header(cookie_header: str) -> str:
    """The ``kc_vid`` visitor id in a raw ``Cookie`` header ('' when absent or malformed)."""
    from http.cookies import CookieError, SimpleCookie

    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except CookieError:
        return ""
    morsel = jar.get(VISITOR_COOKIE)
    value = morsel.value if morsel else ""
    return value if is_visitor_id(value) else ""
