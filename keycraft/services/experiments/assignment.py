"""Deterministic variant assignment, visitor ids, bot detection and the staff QA override."""

from __future__ import annotations

import hashlib
import re
import uuid

from keycraft.services.experiments.model import Experiment, Status

VISITOR_COOKIE = "kc_vid"
VISITOR_COOKIE_MAX_AGE_S = 400 * 24 * 3600
"""Browsers cap cookie lifetimes at 400 days, so asking for more buys nothing."""

OVERRIDE_PARAM = "kc_variant"

_VISITOR_ID = re.compile(r"^[0-9a-f]{32}$")
_BOT_MARKERS = re.compile(
    r"bot|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|whatsapp|"
    r"headless|lighthouse|pagespeed|phantomjs|python-|curl/|wget/|httpx|go-http-client|"
    r"java/|okhttp|scrapy|axios/|node-fetch",
    re.IGNORECASE,
)


def new_visitor_id() -> str:
    """Return a fresh anonymous visitor id (32 hex digits)."""
    return uuid.uuid4().hex


def is_visitor_id(value: str) -> bool:
    """Whether ``value`` looks like an id :func:`new_visitor_id` made."""
    return bool(_VISITOR_ID.match(value or ""))


def is_bot(user_agent: str) -> bool:
    """Whether a user agent is a crawler, preview fetcher or script (or is missing)."""
    return not user_agent.strip() or bool(_BOT_MARKERS.search(user_agent))


def hash_point(experiment: Experiment, visitor_id: str) -> int:
    """A stable 64-bit number for this visitor in this experiment version."""
    seed = f"{experiment.key}:v{experiment.version}:{visitor_id}".encode()
    return int.from_bytes(hashlib.sha256(seed).digest()[:8], "big")


def assign(experiment: Experiment, visitor_id: str) -> str:
    """Return the variant ``visitor_id`` gets, by weight; the same inputs always agree.

    Salting with the key keeps experiments independent of each other; salting with the
    version means a weight change (which must bump it) reshuffles openly, never silently.
    """
    total = sum(variant.weight for variant in experiment.variants)
    # 2**64 is so much larger than any weight total that the modulo bias is negligible.
    point = hash_point(experiment, visitor_id) % total
    for variant in experiment.variants:
        if point < variant.weight:
            return variant.key
        point -= variant.weight
    raise AssertionError("unreachable: point < total")


def parse_override(value: str, experiments: tuple[Experiment, ...]) -> dict[str, str]:
    """Parse ``?kc_variant=key:variant[,key:variant]`` into {experiment key: variant}.

    Unknown experiments and variants are dropped, so a typo shows the normal assignment.
    """
    chosen: dict[str, str] = {}
    by_key = {experiment.key: experiment for experiment in experiments}
    for part in (value or "").split(","):
        key, _, variant = part.strip().partition(":")
        experiment = by_key.get(key)
        if experiment and variant in experiment.variant_keys:
            chosen[key] = variant
    return chosen


def is_counted(experiment: Experiment) -> bool:
    """Whether visitors are assigned and counted (only while running, with no winner)."""
    return experiment.status is Status.RUNNING and not experiment.winner


RAMP_BUCKETS = 100


def ramp_bucket(experiment: Experiment, visitor_id: str) -> int:
    """This visitor's fixed place (0-99) in the ramp of an experiment version.

    Salted apart from the variant hash, so who is let in and what they get are independent;
    raising the ramp only adds visitors, nobody already in is moved out.
    """
    seed = f"ramp:{experiment.key}:v{experiment.version}:{visitor_id}".encode()
    return int.from_bytes(hashlib.sha256(seed).digest()[:8], "big") % RAMP_BUCKETS


def in_ramp(experiment: Experiment, visitor_id: str) -> bool:
    """Whether the visitor is among the ``ramp_percent`` let into the experiment."""
    return ramp_bucket(experiment, visitor_id) < experiment.ramp_percent
