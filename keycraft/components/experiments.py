"""Render the visitor's variant of an experiment and report the exposure when it mounts."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from keycraft.services.experiments.model import Experiment
from keycraft.state.experiments import ExperimentsState

REVEAL_AFTER_S = 1.5
"""How long the control stays invisible while waiting for the assignment."""

_REVEAL_KEYFRAMES = "@keyframes kc-reveal { to { visibility: visible; } }"


def _placeholder(view: Callable[[], rx.Component]) -> rx.Component:
    # Invisible (but laid out) until the assignment arrives; if the server is slow or
    # unreachable, a CSS animation reveals the control so the page never stays blank.
    return rx.box(
        rx.el.style(_REVEAL_KEYFRAMES),
        view(),
        visibility="hidden",
        animation=f"kc-reveal 0s linear {REVEAL_AFTER_S}s forwards",
    )


def _variant(experiment: Experiment, key: str, view: Callable[[], rx.Component]) -> rx.Component:
    # The exposure is sent when this branch actually mounts in the browser, so a visitor
    # who never gets to see the section is never counted.
    return rx.box(
        view(),
        # mypy sees rx.event as a namespace object, not the decorator it is at runtime.
        on_mount=ExperimentsState.expose(experiment.key),  # type: ignore[operator]
        data_experiment=experiment.key,
        data_variant=key,
        display="contents",
    )


def experiment_slot(experiment: Experiment, **views: Callable[[], rx.Component]) -> rx.Component:
    """Show one of ``views`` (one component function per declared variant, by key).

    Until the server has assigned a variant, the control is laid out invisibly, so the
    page does not jump and no visitor glimpses the wrong variant; after
    ``REVEAL_AFTER_S`` without an answer the control shows anyway.

    Raises:
        ValueError: At page build time, when ``views`` do not match the declared variants.
    """
    if set(views) != set(experiment.variant_keys):
        raise ValueError(
            f"experiment {experiment.key!r} declares {experiment.variant_keys}, "
            f"but views were given for {tuple(views)}"
        )
    cases = [(key, _variant(experiment, key, views[key])) for key in experiment.variant_keys]
    return rx.cond(
        ExperimentsState.assigned,
        rx.match(
            ExperimentsState.variants[experiment.key],
            *cases,
            _variant(experiment, experiment.control, views[experiment.control]),
        ),
        _placeholder(views[experiment.control]),
    )
