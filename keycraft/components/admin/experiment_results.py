"""Staff view of every declared experiment: lifecycle controls, results, checks and history."""

from typing import Any

import reflex as rx

from keycraft.components.admin.experiment_chart import rate_chart
from keycraft.components.admin.experiment_controls import controls
from keycraft.components.link_button import link_button
from keycraft.routes import experiment_csv_url
from keycraft.services.experiments.model import Experiment
from keycraft.state.experiment_results import ExperimentResultsState

COLUMNS: tuple[tuple[str, str], ...] = (
    ("variant", "Variant"),
    ("weight", "Weight"),
    ("exposures", "Exposures"),
    ("conversions", "Conversions"),
    ("rate", "Rate"),
    ("interval", "95% interval"),
    ("uplift", "Uplift vs control"),
    ("p_value", "p-value (z-test)"),
    ("beat_control", "P(beats control)"),
    ("always_valid", "Always-valid 95% CI of the difference"),
    ("seq_p", "Always-valid p"),
    ("verdict", "Verdict"),
)
"""(row field, column heading) of the results table."""


def _row(row: rx.vars.ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(*[rx.table.cell(row[field], white_space="nowrap") for field, _ in COLUMNS])


def _summary_line(experiment: Experiment) -> rx.Component:
    summary = ExperimentResultsState.summaries[experiment.key]
    return rx.hstack(
        rx.badge(summary["status"], variant="soft", data_testid=f"status-{experiment.key}"),
        rx.cond(
            summary["winner"] != "",
            rx.badge("winner: ", summary["winner"], color_scheme="green"),
        ),
        rx.text("v", summary["version"], size="2", color_scheme="gray"),
        rx.text("split ", summary["split"], size="2", color_scheme="gray"),
        rx.text("ramp ", summary["ramp"], size="2", color_scheme="gray"),
        rx.text(summary["where"], size="2", color_scheme="gray"),
        rx.text("metric: ", summary["metric"], size="2", color_scheme="gray"),
        rx.cond(
            summary["guardrail"] != "",
            rx.text("guardrail: ", summary["guardrail"], size="2", color_scheme="gray"),
        ),
        spacing="3",
        wrap="wrap",
        align="center",
    )


def _table(rows: Any, label: str, testid: str) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(title, white_space="nowrap")
                        for _, title in COLUMNS
                    ]
                )
            ),
            rx.table.body(rx.foreach(rows, _row)),
            size="1",
            variant="surface",
        ),
        role="region",
        aria_label=label,
        width="100%",
        overflow_x="auto",
        data_testid=testid,
    )


def _checks(experiment: Experiment) -> rx.Component:
    summary = ExperimentResultsState.summaries[experiment.key]
    return rx.vstack(
        rx.cond(
            summary["srm"] != "",
            rx.callout(
                summary["srm"],
                icon="triangle-alert",
                color_scheme="red",
                size="1",
                width="100%",
                data_testid=f"srm-{experiment.key}",
            ),
        ),
        rx.callout(
            summary["verdict"],
            icon="scale",
            size="1",
            width="100%",
            data_testid=f"verdict-{experiment.key}",
        ),
        rx.text(
            summary["method"],
            " Sample-ratio check p = ",
            summary["srm_p"],
            " (flagged below ",
            summary["srm_alpha"],
            ").",
            size="1",
            color_scheme="gray",
        ),
        spacing="2",
        width="100%",
    )


def _guardrail(experiment: Experiment) -> rx.Component:
    if experiment.guardrail is None:
        return rx.fragment()
    summary = ExperimentResultsState.summaries[experiment.key]
    return rx.vstack(
        rx.text(summary["guardrail_note"], size="2", weight="medium"),
        _table(
            ExperimentResultsState.guardrail_rows[experiment.key],
            f"Guardrail metric of {experiment.key}",
            f"guardrail-table-{experiment.key}",
        ),
        spacing="2",
        width="100%",
        data_testid=f"guardrail-{experiment.key}",
    )


def experiment_card(experiment: Experiment) -> rx.Component:
    """One experiment: what it tests, its numbers, guidance and the CSV export."""
    summary = ExperimentResultsState.summaries[experiment.key]
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(experiment.key, as_="h2", size="5"),
                rx.spacer(),
                link_button(
                    rx.icon("download", size=14, aria_hidden="true"),
                    "CSV",
                    href=experiment_csv_url(experiment.key),
                    download=f"experiment-{experiment.key}.csv",
                    size="1",
                    variant="soft",
                    data_testid=f"csv-{experiment.key}",
                ),
                width="100%",
                align="center",
            ),
            rx.text(experiment.description, color_scheme="gray", size="2"),
            _summary_line(experiment),
            controls(experiment),
            _checks(experiment),
            _table(
                ExperimentResultsState.rows[experiment.key],
                f"Results of {experiment.key}",
                f"results-{experiment.key}",
            ),
            _guardrail(experiment),
            rate_chart(experiment),
            rx.cond(
                summary["warning"] != "",
                rx.callout(
                    summary["warning"],
                    icon="triangle-alert",
                    color_scheme="red",
                    size="1",
                    width="100%",
                ),
            ),
            rx.callout(summary["guidance"], icon="info", size="1", width="100%"),
            spacing="3",
            width="100%",
        ),
        data_testid=f"experiment-{experiment.key}",
        width="100%",
    )


def forbidden_panel() -> rx.Component:
    """What a signed-in non-staff user sees instead of results."""
    return rx.callout(
        "403 — this page is for KeyCraft staff only.",
        icon="lock",
        color_scheme="red",
        data_testid="forbidden",
    )


def results_list(experiments: tuple[Experiment, ...]) -> rx.Component:
    """Every experiment's card, or the reason none are shown."""
    return rx.cond(
        ExperimentResultsState.checked,
        rx.cond(
            ExperimentResultsState.error != "",
            rx.callout(ExperimentResultsState.error, icon="triangle-alert", color_scheme="red"),
            rx.cond(
                ExperimentResultsState.allowed,
                rx.vstack(*[experiment_card(e) for e in experiments], spacing="5", width="100%"),
                forbidden_panel(),
            ),
        ),
        rx.center(rx.spinner(size="3"), padding="3rem", width="100%"),
    )
