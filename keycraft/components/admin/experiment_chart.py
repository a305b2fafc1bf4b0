"""Cumulative conversion rate per variant over time, as a small Recharts line chart."""

import reflex as rx

from keycraft.services.experiments.model import Experiment
from keycraft.state.experiment_results import ExperimentResultsState

PALETTE = ("var(--gray-10)", "var(--accent-9)", "var(--orange-9)", "var(--green-9)")
"""Line colours in variant order: the control is grey."""


def rate_chart(experiment: Experiment) -> rx.Component:
    """One line per variant: its cumulative rate (%) at the end of each UTC day."""
    lines = [
        rx.recharts.line(
            data_key=variant,
            name=variant,
            stroke=PALETTE[index % len(PALETTE)],
            type_="monotone",
            dot=True,
            is_animation_active=False,
        )
        for index, variant in enumerate(experiment.variant_keys)
    ]
    return rx.box(
        rx.text(
            "Cumulative ",
            experiment.metric.value.replace("_", " "),
            " rate per variant (%), by day",
            size="2",
            weight="medium",
        ),
        rx.recharts.line_chart(
            *lines,
            rx.recharts.x_axis(data_key="day"),
            rx.recharts.y_axis(unit="%", width=56),
            rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
            rx.recharts.graphing_tooltip(),
            rx.recharts.legend(),
            data=ExperimentResultsState.history[experiment.key],
            width="100%",
            height=220,
        ),
        width="100%",
        data_testid=f"chart-{experiment.key}",
    )
