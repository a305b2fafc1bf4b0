"""Render the visitor's variant of an experiment and report the exposure when it mounts."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from keycraft.services.experiments.model import Experiment
from keycraft.state.experiments import ExperimentsState


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
    page does not jump and no visitor glimpses the wrong variant.

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
        rx.box(views[experiment.control](), visibility="hidden", aria_hidden="true"),
    )
