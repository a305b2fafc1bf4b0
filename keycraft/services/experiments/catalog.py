"""Every experiment KeyCraft runs, declared once: variants, metrics and starting state.

Staff start, pause, re-weigh and conclude them from ``/admin/experiments``; the stored
lifecycle (see :mod:`keycraft.services.experiments.lifecycle`) overrides what is here.
"""

from __future__ import annotations

from keycraft.services.experiments.model import Experiment, Metric, Status, Variant

HERO_HEADLINE = Experiment(
    key="hero_headline",
    page="/",
    section="hero",
    variants=(Variant("control", 50), Variant("outcome", 50)),
    metric=Metric.SIGNUP,
    guardrail=Metric.CHECKOUT_STARTED,
    status=Status.RUNNING,
    description="Product-led headline vs. an outcome-led one ('...as clean MIDI').",
)

PRICING_CTA = Experiment(
    key="pricing_cta",
    page="/pricing",
    section="pricing",
    variants=(Variant("control", 50), Variant("try_free", 50)),
    metric=Metric.CHECKOUT_STARTED,
    guardrail=Metric.SIGNUP,
    status=Status.DRAFT,
    description="'Start free' vs. 'Try it free' on the free plan's button.",
)

EXPERIMENTS: tuple[Experiment, ...] = (HERO_HEADLINE, PRICING_CTA)
"""Every declared experiment; keys are unique (checked by a unit test)."""


def find_experiment(key: str) -> Experiment | None:
    """Return the declared experiment with this key, if any."""
    return next((experiment for experiment in EXPERIMENTS if experiment.key == key), None)


def experiments_on_page(path: str) -> tuple[Experiment, ...]:
    """Declared experiments shown on the page at ``path``."""
    return tuple(experiment for experiment in EXPERIMENTS if experiment.page == path)
